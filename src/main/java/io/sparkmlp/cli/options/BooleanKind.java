package io.sparkmlp.cli.options;

/**
 * {@code true} or {@code false} (any letter case), nothing else: {@code yes}, {@code 1} or a
 * misspelling is an error rather than a silent {@code false} as {@link Boolean#parseBoolean}
 * would give. On the command line a bare {@code --name} means {@code true}.
 */
enum BooleanKind implements ValueKind {
  INSTANCE;

  @Override
  public Object parse(String text) {
    if (text.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    return text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
  }

  @Override
  public String format(Object value) {
    return value.toString();
  }

  @Override
  public String expected() {
    return "true or false";
  }

  @Override
  public String metavar() {
    return "[true|false]";
  }

  @Override
  public boolean isFlag() {
    return true;
  }
}
