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
    return IntKind.parseWhole(text, min, max);
  }

  @Override
  public String format(Object value) {
    return value.toString();
  }

  @Override
  public String expected() {
    return "an integer" + IntKind.bounds(min, max, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public String metavar() {
    return "N";
  }
}
