package io.sparkmlp.blas;

/**
 * What the selection decided, before netlib is touched: the kind, the checked native library
 * (null for the Java kinds; its path is null for macOS's Accelerate, which netlib loads by
 * itself) and why.
 */
record BlasPlan(BlasKind kind, NativeBlas library, String reason) {

  static BlasPlan java(BlasKind kind, String reason) {
    return new BlasPlan(kind, null, reason);
  }
}
