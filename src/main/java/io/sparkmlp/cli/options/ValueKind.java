package io.sparkmlp.cli.options;

/**
 * How an option's text becomes a typed value, and how the kind explains itself in error messages
 * and in the usage text. Implementations are immutable.
 */
interface ValueKind {
  /** The typed value of {@code text}, or {@code null} when {@code text} is not allowed. */
  Object parse(String text);

  /**
   * The canonical text of a value returned by {@link #parse}; {@code parse(format(v))} equals
   * {@code v}, so an effective configuration written with it reads back unchanged.
   */
  String format(Object value);

  /** What is allowed, completing "expected …": e.g. {@code an integer >= 1}. */
  String expected();

  /** The value's placeholder in the usage text, e.g. {@code N} in {@code --epochs N}. */
  String metavar();

  /** Whether a bare {@code --name} without a value means {@code true}: booleans only. */
  default boolean isFlag() {
    return false;
  }
}
