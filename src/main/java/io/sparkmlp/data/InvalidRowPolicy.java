package io.sparkmlp.data;

import java.util.Locale;

/** What the loader does with a row that fails validation. */
public enum InvalidRowPolicy {
  /** Stop with a {@link DataFormatException} naming the file, line, column and value. */
  FAIL,
  /** Drop the row, count it ({@link Dataset#skippedRows()}) and log the first few reasons. */
  SKIP;

  /** Parses the option values {@code fail} and {@code skip} (case-insensitive). */
  public static InvalidRowPolicy parse(String s) {
    if (s != null) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "fail":
          return FAIL;
        case "skip":
          return SKIP;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown invalid-row policy '" + s + "'; expected fail or skip");
  }
}
