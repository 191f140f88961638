package io.sparkmlp.cli.options;

/**
 * The value of an "integer or keyword" option such as {@code --batch-size N|full}: either a
 * number or the option's single keyword.
 *
 * @param keyword the keyword, or {@code null} when the value is a number
 * @param number the number; meaningless (0) when the value is the keyword
 */
public record IntOrKeyword(String keyword, int number) {

  /** A numeric value. */
  public static IntOrKeyword of(int number) {
    return new IntOrKeyword(null, number);
  }

  /** The keyword value. */
  public static IntOrKeyword ofKeyword(String keyword) {
    return new IntOrKeyword(keyword, 0);
  }

  public boolean isKeyword() {
    return keyword != null;
  }

  /** The number; throws {@link IllegalStateException} when the value is the keyword. */
  @Override
  public int number() {
    if (keyword != null) {
      throw new IllegalStateException("the value is the keyword '" + keyword + "', not a number");
    }
    return number;
  }

  /** The number, or {@code valueForKeyword} when the value is the keyword. */
  public int numberOr(int valueForKeyword) {
    return keyword != null ? valueForKeyword : number;
  }

  /** The value as written: the keyword or the decimal number. */
  @Override
  public String toString() {
    return keyword != null ? keyword : Integer.toString(number);
  }
}
