package io.sparkmlp.cli.options;

/** Declares an {@code int} option with inclusive bounds; see {@link OptionSpec#intOption}. */
public final class IntOptionBuilder extends OptionBuilder {
  private int min = Integer.MIN_VALUE;
  private int max = Integer.MAX_VALUE;

  IntOptionBuilder(String name) {
    super(name);
  }

  /** Values must be {@code >= min}. */
  public IntOptionBuilder min(int min) {
    this.min = min;
    return this;
  }

  /** Values must be {@code <= max}. */
  public IntOptionBuilder max(int max) {
    this.max = max;
    return this;
  }

  public IntOptionBuilder defaultValue(int value) {
    setDefaultText(Integer.toString(value));
    return this;
  }

  @Override
  ValueKind kind() {
    return new IntKind(min, max);
  }
}
