package io.sparkmlp.blas;

import java.util.Locale;

/** Where the BLAS of a JVM comes from, in the order {@code auto} tries them (library aside). */
public enum BlasKind {
  /** The system's {@code libblas.so.3} (macOS: Accelerate), as netlib loads by default. */
  SYSTEM,
  /** The OpenBLAS shipped in our Maven dependencies, extracted to a per-user cache. */
  BUNDLED,
  /** A native BLAS library the user names by path (MKL, AOCL, a tuned OpenBLAS…). */
  LIBRARY,
  /** netlib's {@code VectorBLAS}: Java with the incubating Vector API (SIMD). */
  VECTOR,
  /** netlib's {@code Java11BLAS}: plain Java loops. */
  JAVA;

  /** The value of the setting that forces it ({@code library} is given as a path). */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isNative() {
    return this == SYSTEM || this == BUNDLED || this == LIBRARY;
  }
}
