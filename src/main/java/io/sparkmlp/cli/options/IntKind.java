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
    if (!INTEGER.matcher(text).matches()) {
      return null;
    }
    try {
      int value = Integer.parseInt(text);
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
    return Bounds.describe(min == Integer.MIN_VALUE ? null : Integer.toString(min), true,
        max == Integer.MAX_VALUE ? null : Integer.toString(max), true);
  }
}
