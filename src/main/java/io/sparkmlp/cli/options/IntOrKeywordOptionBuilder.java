package io.sparkmlp.cli.options;

/**
 * Declares an option that takes an {@code int} or one keyword, such as
 * {@code --batch-size N|full}; see {@link OptionSpec#intOrKeywordOption}.
 */
public final class IntOrKeywordOptionBuilder extends OptionBuilder {
  private final String keyword;
  private int min = Integer.MIN_VALUE;
  private int max = Integer.MAX_VALUE;

  IntOrKeywordOptionBuilder(String name, String keyword) {
    super(name);
    this.keyword = keyword;
  }

  /** Numbers must be {@code >= min}. */
  public IntOrKeywordOptionBuilder min(int min) {
    this.min = min;
    return this;
  }

  /** Numbers must be {@code <= max}. */
  public IntOrKeywordOptionBuilder max(int max) {
    this.max = max;
    return this;
  }

  /** A numeric default. */
  public IntOrKeywordOptionBuilder defaultValue(int value) {
    setDefaultText(Integer.toString(value));
    return this;
  }

  /** The keyword as the default. */
  public IntOrKeywordOptionBuilder defaultKeyword() {
    setDefaultText(keyword);
    return this;
  }

  @Override
  ValueKind kind() {
    return new IntOrKeywordKind(new IntKind(min, max), keyword);
  }
}
