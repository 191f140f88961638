package io.sparkmlp.cli.options;

/** Declares a {@code long} option with inclusive bounds; see {@link OptionSpec#longOption}. */
public final class LongOptionBuilder extends OptionBuilder {
  private long min = Long.MIN_VALUE;
  private long max = Long.MAX_VALUE;

  LongOptionBuilder(String name) {
    super(name);
  }

  /** Values must be {@code >= min}. */
  public LongOptionBuilder min(long min) {
    this.min = min;
    return this;
  }

  /** Values must be {@code <= max}. */
  public LongOptionBuilder max(long max) {
    this.max = max;
    return this;
  }

  public LongOptionBuilder defaultValue(long value) {
    setDefaultText(Long.toString(value));
    return this;
  }

  @Override
  ValueKind kind() {
    return new LongKind(min, max);
  }
}
