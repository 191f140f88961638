package io.sparkmlp.cli.options;

/**
 * Declares a finite {@code double} option; each side may be bounded, open
 * ({@link #greaterThan}, {@link #lessThan}) or closed ({@link #atLeast}, {@link #atMost}). See
 * {@link OptionSpec#doubleOption}.
 */
public final class DoubleOptionBuilder extends OptionBuilder {
  private DoubleKind kind = DoubleKind.unbounded();

  DoubleOptionBuilder(String name) {
    super(name);
  }

  /** Values must be {@code > low}, e.g. a learning rate. */
  public DoubleOptionBuilder greaterThan(double low) {
    kind = new DoubleKind(low, false, kind.high(), kind.highInclusive());
    return this;
  }

  /** Values must be {@code >= low}. */
  public DoubleOptionBuilder atLeast(double low) {
    kind = new DoubleKind(low, true, kind.high(), kind.highInclusive());
    return this;
  }

  /** Values must be {@code < high}. */
  public DoubleOptionBuilder lessThan(double high) {
    kind = new DoubleKind(kind.low(), kind.lowInclusive(), high, false);
    return this;
  }

  /** Values must be {@code <= high}. */
  public DoubleOptionBuilder atMost(double high) {
    kind = new DoubleKind(kind.low(), kind.lowInclusive(), high, true);
    return this;
  }

  /** The default; {@link Double#toString} writes it, which reads back to the same double. */
  public DoubleOptionBuilder defaultValue(double value) {
    setDefaultText(Double.toString(value));
    return this;
  }

  @Override
  ValueKind kind() {
    return kind;
  }
}
