package io.sparkmlp.nn;

import java.util.Locale;

/**
 * The floating-point type of the forward/backward computation and of the model file.
 *
 * <p>The driver keeps parameters and optimizer state in {@code double[]}. With {@link #FLOAT32}
 * the parameters are rounded to float after initialisation and after every update, so they are
 * exactly the float32 weights that are broadcast, computed with and saved ({@code F32} in the
 * model file); only the optimizer's arithmetic is carried out in double.
 */
public enum Dtype {
  FLOAT32("float32", "F32", 4),
  FLOAT64("float64", "F64", 8);

  private final String optionName;
  private final String safetensorsName;
  private final int bytes;

  Dtype(String optionName, String safetensorsName, int bytes) {
    this.optionName = optionName;
    this.safetensorsName = safetensorsName;
    this.bytes = bytes;
  }

  public String optionName() {
    return optionName;
  }

  /** The safetensors dtype string: {@code F32} or {@code F64}. */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
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

  /** Parses {@code float32}/{@code f32} or {@code float64}/{@code f64}/{@code double}. */
  public static Dtype parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "float32":
      case "f32":
      case "float":
        return FLOAT32;
      case "float64":
      case "f64":
      case "double":
        return FLOAT64;
      default:
        throw new IllegalArgumentException(
            "unknown dtype '" + name + "'; expected float32 or float64");
    }
  }

  /** Parses a safetensors dtype string ({@code F32}, {@code F64}). */
  public static Dtype fromSafetensors(String name) {
    for (Dtype d : values()) {
      if (d.safetensorsName.equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported tensor dtype '" + name + "'; expected F32 or F64");
  }
}
