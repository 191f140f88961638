package io.sparkmlp.nn;

/**
 * The floating-point type of the forward/backward computation and of the model file.
 *
 * <p>The driver keeps parameters and optimizer state in {@code double[]}. With {@link #FLOAT32}
 * the parameters are rounded to float after initialisation and after every update, so they are
 * exactly the float32 weights that are broadcast, computed with and saved ({@code F32} in the
 * model file); only the optimizer's arithmetic is carried out in double.
 */
public enum Dtype implements Named {
  FLOAT32(32),
  FLOAT64(64);

  private final int bits;

  Dtype(int bits) {
    this.bits = bits;
  }

  /** The safetensors dtype string: {@code F32} or {@code F64}. */
  public String safetensorsName() {
    return "F" + bits;
  }

  /** Bytes per element. */
  public int bytes() {
    return bits / Byte.SIZE;
  }

  /** Rounds every value to this dtype's precision, in place (a no-op for float64). */
  public void roundInPlace(double[] values) {
    roundInPlace(values, 0, values.length);
  }

  /** Rounds {@code values[from .. to)} to this dtype's precision, in place. */
  public void roundInPlace(double[] values, int from, int to) {
    if (this == FLOAT32) {
      ArrayOps.INSTANCE.roundToFloat(values, from, to);
    }
  }

  /** The dtype named {@code name} ({@link Named#parse}): {@code float32} or {@code float64}. */
  public static Dtype parse(String name) {
    return Named.parse(Dtype.class, "dtype", name);
  }

  /** Parses a safetensors dtype string ({@code F32}, {@code F64}). */
  public static Dtype fromSafetensors(String name) {
    for (Dtype d : values()) {
      if (d.safetensorsName().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported tensor dtype '" + name + "'; expected F32 or F64");
  }
}
