package io.sparkmlp.data;

/**
 * A row that fails validation, raised by the parsers and turned by {@link ChunkBuilder} into a
 * {@link DataFormatException} with the file and line. No stack trace: under the SKIP policy a
 * file may have many bad rows and the trace would cost more than the parse.
 */
final class RowError extends Exception {
  private static final long serialVersionUID = 1L;

  final String column;
  final String value;
  /** True for errors that SKIP must not skip (they concern the whole data set). */
  final boolean fatal;

  RowError(String reason, String column, String value) {
    this(reason, column, value, false);
  }

  RowError(String reason, String column, String value, boolean fatal) {
    super(reason, null, false, false);
    this.column = column;
    this.value = value;
    this.fatal = fatal;
  }
}
