package io.sparkmlp.data;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bad input data: names the file, the 1-based line (text formats; the CSV header is line 1) or
 * record (Parquet), the column or token, and the offending value, so a user can find and fix it.
 *
 * <p>The message has a fixed shape, {@code reason [file F, line N, column 'c', value 'v']} (absent
 * parts left out), so that {@link #unwrap} can rebuild the exception from the text alone when only
 * the message survives, e.g. inside a {@code SparkException} from a cluster whose driver could not
 * deserialize the cause.
 *
 * <p>Inside Spark tasks the line of a row of a split that does not start at the beginning of its
 * file is unknown; such an exception carries the byte {@link #offset()} instead, and the loader
 * turns it into a line number on the driver before the user sees it.
 */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_VALUE_CHARS = 200;
  private static final String MARKER = DataFormatException.class.getName() + ": ";
  private static final Pattern FORMAT = Pattern.compile(
      "^(.*) \\[file (.*?)(?:, (line|record|offset) (\\d+))?(?:, (column '.*?'|token \\d+|label))?"
          + "(?:, value '(.*)')?\\]$",
      Pattern.DOTALL);

  /** Where and what: the same plain value that tasks send to the driver. */
  private final Problem problem;

  private DataFormatException(String reason, String file, long line, long offset, boolean record,
      String column, String value) {
    this(new Problem(reason, file, line, offset, record, column, value));
  }

  DataFormatException(Problem problem) {
    super(format(problem));
    this.problem = problem;
  }

  /** An error at a known 1-based line of a text file ({@code line <= 0}: none). */
  public static DataFormatException atLine(String reason, String file, long line, String column,
      String value) {
    return new DataFormatException(reason, file, line, -1, false, column, truncate(value));
  }

  /** An error at a 1-based record (row) number of a Parquet file. */
  public static DataFormatException atRecord(String reason, String file, long record,
      String column, String value) {
    return new DataFormatException(reason, file, record, -1, true, column, truncate(value));
  }

  /** An error about a whole file or path (no line). */
  public static DataFormatException ofFile(String reason, String file) {
    return new DataFormatException(reason, file, -1, -1, false, null, null);
  }

  /** An error at a byte offset of an uncompressed text file, to be turned into a line later. */
  static DataFormatException atOffset(String reason, String file, long offset, String column,
      String value) {
    return new DataFormatException(reason, file, -1, offset, false, column, truncate(value));
  }

  /** The same error at a known line (used once the driver has counted the lines to an offset). */
  DataFormatException withLine(long lineNumber) {
    return new DataFormatException(
        problem.reason, problem.file, lineNumber, -1, false, problem.column, problem.value);
  }

  /** What is wrong, without the location. */
  public String reason() {
    return problem.reason;
  }

  /** The file (as Hadoop names it, e.g. {@code file:/data/x.csv}) or the path given. */
  public String file() {
    return problem.file;
  }

  /** The 1-based line (text) or record (Parquet) number, or -1 if not about one row. */
  public long line() {
    return problem.line;
  }

  /** True when {@link #line()} counts Parquet records rather than text lines. */
  public boolean isRecord() {
    return problem.record;
  }

  /** Byte offset of the line when its number is not known yet, else -1. */
  public long offset() {
    return problem.offset;
  }

  /** Where in the row: {@code column 'name'}, {@code token k} (LibSVM, 1-based) or null. */
  public String column() {
    return problem.column;
  }

  /** The offending value (truncated to 200 characters), or null. */
  public String value() {
    return problem.value;
  }

  /**
   * Finds a DataFormatException in {@code t}'s cause chain (Spark wraps task failures in
   * {@code SparkException}); if only its message survived (the cause was not deserialized), rebuilds
   * it from the text. Returns null when there is none.
   */
  public static DataFormatException unwrap(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      if (c instanceof DataFormatException) {
        return (DataFormatException) c;
      }
    }
    seen.clear();
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      DataFormatException parsed = fromText(c.getMessage());
      if (parsed == null) {
        parsed = fromText(c.toString());
      }
      if (parsed != null) {
        return parsed;
      }
    }
    return null;
  }

  /** Rebuilds an exception from text holding {@code DataFormatException: <message>}, or null. */
  static DataFormatException fromText(String text) {
    if (text == null) {
      return null;
    }
    int at = text.indexOf(MARKER);
    if (at < 0) {
      return null;
    }
    String msg = text.substring(at + MARKER.length());
    int nl = msg.indexOf('\n');
    if (nl >= 0) {
      msg = msg.substring(0, nl);
    }
    msg = msg.strip();
    Matcher m = FORMAT.matcher(msg);
    if (!m.matches()) {
      return null;
    }
    long n = m.group(4) == null ? -1 : Long.parseLong(m.group(4));
    String kind = m.group(3);
    return new DataFormatException(m.group(1), m.group(2), "offset".equals(kind) ? -1 : n,
        "offset".equals(kind) ? n : -1, "record".equals(kind), m.group(5), m.group(6));
  }

  private static String format(Problem p) {
    StringBuilder sb = new StringBuilder(p.reason).append(" [file ").append(p.file);
    if (p.line > 0) {
      sb.append(p.record ? ", record " : ", line ").append(p.line);
    } else if (p.offset >= 0) {
      sb.append(", offset ").append(p.offset);
    }
    if (p.column != null) {
      sb.append(", ").append(p.column);
    }
    if (p.value != null) {
      sb.append(", value '").append(p.value).append('\'');
    }
    return sb.append(']').toString();
  }

  private static String truncate(String v) {
    if (v == null || v.length() <= MAX_VALUE_CHARS) {
      return v;
    }
    return v.substring(0, MAX_VALUE_CHARS) + "...";
  }
}
