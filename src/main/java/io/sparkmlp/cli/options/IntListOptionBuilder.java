package io.sparkmlp.cli.options;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Declares a comma-separated {@code int} list option such as {@code --hidden 256,128}; see
 * {@link OptionSpec#intListOption}.
 */
public final class IntListOptionBuilder extends OptionBuilder {
  private int min = Integer.MIN_VALUE;
  private boolean allowEmpty;

  IntListOptionBuilder(String name) {
    super(name);
  }

  /** Every element must be {@code >= min}. */
  public IntListOptionBuilder min(int min) {
    this.min = min;
    return this;
  }

  /** Accepts the empty text as the empty list (e.g. a network without hidden layers). */
  public IntListOptionBuilder allowEmpty() {
    allowEmpty = true;
    return this;
  }

  /** The default list; no values means the empty list, which needs {@link #allowEmpty()}. */
  public IntListOptionBuilder defaultValue(int... values) {
    setDefaultText(Arrays.stream(values).mapToObj(Integer::toString)
        .collect(Collectors.joining(",")));
    return this;
  }

  @Override
  ValueKind kind() {
    return new IntListKind(new IntKind(min, Integer.MAX_VALUE), allowEmpty);
  }
}
