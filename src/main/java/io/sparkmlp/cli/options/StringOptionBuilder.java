package io.sparkmlp.cli.options;

/** Declares a text, path or choice option; see {@link OptionSpec#stringOption}. */
public final class StringOptionBuilder extends OptionBuilder {
  private final ValueKind kind;

  StringOptionBuilder(String name, ValueKind kind) {
    super(name);
    this.kind = kind;
  }

  /** The value when the option is not given; a choice default must be one of the choices. */
  public StringOptionBuilder defaultValue(String value) {
    setDefaultText(value);
    return this;
  }

  @Override
  ValueKind kind() {
    return kind;
  }
}
