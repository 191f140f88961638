package io.sparkmlp.cli.options;

/** A decimal {@code long} in {@code [min, max]}, e.g. a random seed. */
record LongKind(long min, long max) implements ValueKind {
  LongKind {
    if (min > max) {
      throw new IllegalArgumentException("integer bounds: min " + min + " > max " + max);
    }
  }

  @Override
  public Object parse(String text) {
    if (!IntKind.INTEGER.matcher(text).matches()) {
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
    return "an integer" + Bounds.describe(min == Long.MIN_VALUE ? null : Long.toString(min), true,
        max == Long.MAX_VALUE ? null : Long.toString(max), true);
  }

  @Override
  public String metavar() {
    return "N";
  }
}
