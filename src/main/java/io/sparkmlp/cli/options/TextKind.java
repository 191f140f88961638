package io.sparkmlp.cli.options;

/** Free text ({@link #STRING}) or a file-system path or URI ({@link #PATH}, not empty). */
record TextKind(String metavar, String expected, boolean allowEmpty) implements ValueKind {
  static final TextKind STRING = new TextKind("TEXT", "any text", true);
  /**
   * Not checked beyond non-emptiness: paths may be HDFS or S3 URIs, which only Hadoop's file
   * system resolves.
   */
  static final TextKind PATH = new TextKind("PATH", "a non-empty path", false);

  @Override
  public Object parse(String text) {
    return allowEmpty || !text.isEmpty() ? text : null;
  }

  @Override
  public String format(Object value) {
    return (String) value;
  }
}
