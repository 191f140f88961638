package io.sparkmlp.data;

import io.sparkmlp.nn.Named;

/** What the loader does with a row that fails validation. */
public enum InvalidRowPolicy implements Named {
  /** Stop with a {@link DataFormatException} naming the file, line, column and value. */
  FAIL,
  /** Drop the row, count it ({@link Dataset#skippedRows()}) and log the first few reasons. */
  SKIP;

  /** The policy named {@code s} (see {@link Named#parse}): {@code fail} or {@code skip}. */
  public static InvalidRowPolicy parse(String s) {
    return Named.parse(InvalidRowPolicy.class, "invalid-row policy", s);
  }
}
