package io.sparkmlp.cli.options;

/**
 * An integer of the {@code number} kind or one keyword (any letter case), such as
 * {@code --batch-size N|full}; the value is an {@link IntOrKeyword}.
 */
record IntOrKeywordKind(IntKind number, String keyword) implements ValueKind {
  IntOrKeywordKind {
    if (keyword.isBlank() || IntKind.INTEGER.matcher(keyword).matches()) {
      throw new IllegalArgumentException("keyword must be a non-blank word, got '" + keyword + "'");
    }
  }

  @Override
  public Object parse(String text) {
    if (text.equalsIgnoreCase(keyword)) {
      return IntOrKeyword.ofKeyword(keyword);
    }
    Object n = number.parse(text);
    return n == null ? null : IntOrKeyword.of((Integer) n);
  }

  @Override
  public String format(Object value) {
    return value.toString();
  }

  @Override
  public String expected() {
    return number.expected() + " or " + keyword;
  }

  @Override
  public String metavar() {
    return "N|" + keyword;
  }
}
