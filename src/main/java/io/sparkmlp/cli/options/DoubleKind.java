package io.sparkmlp.cli.options;

import java.util.regex.Pattern;

/**
 * A finite decimal number between {@code low} and {@code high}, each bound open or closed; an
 * infinite bound means "unbounded on that side".
 *
 * <p>Only plain decimal notation is accepted ({@code 0.1}, {@code -2}, {@code 1e-4},
 * {@code .5}): {@link Double#parseDouble} alone would also take {@code NaN}, {@code Infinity},
 * hexadecimal and {@code 1d}, none of which is a sensible hyper-parameter.
 */
record DoubleKind(double low, boolean lowInclusive, double high, boolean highInclusive)
    implements ValueKind {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  DoubleKind {
    if (!(low < high)) {
      throw new IllegalArgumentException("number bounds: low " + low + " must be < high " + high);
    }
  }

  /** Any finite number. */
  static DoubleKind unbounded() {
    return new DoubleKind(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
  }

  @Override
  public Object parse(String text) {
    if (!DECIMAL.matcher(text).matches()) {
      return null;
    }
    double value = Double.parseDouble(text);
    boolean aboveLow = lowInclusive ? value >= low : value > low;
    boolean belowHigh = highInclusive ? value <= high : value < high;
    return Double.isFinite(value) && aboveLow && belowHigh ? value : null;
  }

  @Override
  public String format(Object value) {
    return value.toString();
  }

  @Override
  public String expected() {
    return "a number" + Bounds.describe(
        Double.isInfinite(low) ? null : Bounds.number(low), lowInclusive,
        Double.isInfinite(high) ? null : Bounds.number(high), highInclusive);
  }

  @Override
  public String metavar() {
    return "X";
  }
}
