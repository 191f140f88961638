package io.sparkmlp.cli.options;

/** Renders numeric bounds for messages: {@code  >= 1}, {@code  > 0}, {@code  in [0, 1)}. */
final class Bounds {
  private Bounds() {}

  /**
   * The bounds as a suffix with a leading space, or {@code ""} when unbounded; {@code low} or
   * {@code high} is {@code null} when that side is unbounded.
   */
  static String describe(String low, boolean lowInclusive, String high, boolean highInclusive) {
    if (low == null && high == null) {
      return "";
    }
    if (high == null) {
      return (lowInclusive ? " >= " : " > ") + low;
    }
    if (low == null) {
      return (highInclusive ? " <= " : " < ") + high;
    }
    return " in " + (lowInclusive ? "[" : "(") + low + ", " + high + (highInclusive ? "]" : ")");
  }

  /** A double bound as people write it: {@code 0}, {@code 0.5}, {@code 1.0E-8}. */
  static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }
}
