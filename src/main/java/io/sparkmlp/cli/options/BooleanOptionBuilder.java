package io.sparkmlp.cli.options;

/**
 * Declares a {@code true|false} option; see {@link OptionSpec#booleanOption}. The default is
 * {@code false}, so that a flag is off unless given.
 */
public final class BooleanOptionBuilder extends OptionBuilder {
  BooleanOptionBuilder(String name) {
    super(name);
    setDefaultText("false");
  }

  public BooleanOptionBuilder defaultValue(boolean value) {
    setDefaultText(Boolean.toString(value));
    return this;
  }

  @Override
  ValueKind kind() {
    return BooleanKind.INSTANCE;
  }
}
