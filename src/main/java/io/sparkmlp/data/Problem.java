package io.sparkmlp.data;

import java.io.Serializable;

/**
 * An invalid row as a plain value, sent from tasks to the driver in chunk summaries. (A plain
 * object rather than the exception itself: Throwables do not travel well through Kryo, which a
 * Spark job may be configured with.)
 */
final class Problem implements Serializable {
  private static final long serialVersionUID = 1L;

  final String reason;
  final String file;
  /** 1-based line/record, or -1 when only the byte offset is known. */
  final long line;
  final long offset;
  final boolean record;
  final String column;
  final String value;

  Problem(String reason, String file, long line, long offset, boolean record, String column,
      String value) {
    this.reason = reason;
    this.file = file;
    this.line = line;
    this.offset = offset;
    this.record = record;
    this.column = column;
    this.value = value;
  }

  DataFormatException toException() {
    if (record) {
      return DataFormatException.atRecord(reason, file, line, column, value);
    }
    if (line > 0) {
      return DataFormatException.atLine(reason, file, line, column, value);
    }
    return DataFormatException.atOffset(reason, file, offset, column, value);
  }
}
