package io.sparkmlp.blas;

/**
 * What the selection decided, before netlib is touched: the kind, the checked native library
 * (null for the Java kinds, and for macOS's Accelerate, which netlib loads by itself) and why.
 */
record BlasPlan(BlasKind kind, NativeBlas library, Implementation implementation, String version,
    String reason) {

  static BlasPlan of(BlasKind kind, NativeBlas lib, String reason) {
    return new BlasPlan(kind, lib, lib.implementation(), lib.version(), reason);
  }

  static BlasPlan java(BlasKind kind, String reason) {
    return new BlasPlan(kind, null, null, null, reason);
  }
}
