package io.sparkmlp.nn;

import java.nio.ByteBuffer;

/**
 * The driver's per-step passes over the parameters that are not arithmetic of the optimizer:
 * rounding to float32 and converting to the float32 the tasks compute with. Two
 * implementations give the same bits: on the Vector API ({@link VectorApi}) and in plain loops
 * (the JIT does not vectorize these narrowing conversions by itself).
 */
public interface ArrayOps {
  /** The fastest implementation this JVM can run. */
  ArrayOps INSTANCE = VectorApi.load(ArrayOps.class, "io.sparkmlp.nn.VectorArrayOps",
      ScalarArrayOps::new);

  /** {@code v[i] ← (float) v[i]} for {@code from ≤ i < to}. */
  void roundToFloat(double[] v, int from, int to);

  /** {@code w[off + k] ← (float) v[from + k]} for {@code k < n}. */
  void toFloats(double[] v, int from, float[] w, int off, int n);

  /**
   * Writes {@code (float) v[from + k]} for {@code k < n} into {@code out} at its position,
   * little-endian, and advances the position.
   */
  void putFloats(double[] v, int from, int n, ByteBuffer out);
}
