package io.sparkmlp.cli.options;

import java.util.regex.Pattern;

/** A decimal {@code int} in {@code [min, max]}; also the element kind of {@link IntListKind}. */
record IntKind(int min, int max) implements ValueKind {
  /** ASCII digits only: {@link Integer#parseInt} would also take other scripts' digits. */
  static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  IntKind {
    if (min > max) {
      throw new IllegalArgumentException("integer bounds: min " + min + " > max " + max);
    }
  }

  @Override
  public Object parse(String text) {
    Long value = parseWhole(text, min, max);
    return value == null ? null : value.intValue();
  }

  /**
   * A decimal integer of ASCII digits in {@code [min, max]}, or null (also on overflow); shared
   * with {@link LongKind}.
   */
  static Long parseWhole(String text, long min, long max) {
    if (!INTEGER.matcher(text).matches()) {
      return null;
    }
    try {
      long value = Long.parseLong(text);
      return value >= min && value <= max ? value : null;
    } catch (NumberFormatException overflow) {
      return null;
    }
  }

  @Override
  public String format(Object value) {
    return value.toString();
  }

  @Override
  public String expected() {
    return "an integer" + bounds();
  }

  @Override
  public String metavar() {
    return "N";
  }

  /** {@code " >= 1"}, {@code " in [1, 10]"} or {@code ""}. */
  String bounds() {
    return bounds(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** The bounds of a whole number, where {@code lowest} and {@code highest} mean unbounded. */
  static String bounds(long min, long max, long lowest, long highest) {
    return Bounds.describe(min == lowest ? null : Long.toString(min), true,
        max == highest ? null : Long.toString(max), true);
  }
}
