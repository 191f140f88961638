package io.sparkmlp.data;

import java.nio.charset.StandardCharsets;

/**
 * Parses one text line (its UTF-8 bytes, as Hadoop hands them over) into a {@link RowBuffer},
 * raising {@link RowError} with the column/token and value for anything invalid.
 */
final class LineParsers {
  private LineParsers() {}

  /** True for a line holding only blanks (skipped, not counted as invalid). */
  static boolean blank(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
        return false;
      }
    }
    return true;
  }

  private static boolean space(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f';
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /**
   * LibSVM: {@code label idx:value ...}, 1-based strictly increasing indices; a token starting
   * with {@code #} starts a comment. When labels are optional (predict input) a first token
   * containing {@code :} is taken as a feature. With sample weights ({@link ParseConfig#weighted})
   * the label token may be {@code label:weight} (XGBoost's text format), also in predict input
   * (the first token is then always the label); without {@code :weight} the row weighs 1.
   *
   * @return false for a line with no tokens (only a comment), which is not a row
   */
  static boolean libsvm(ParseConfig cfg, byte[] b, int len, RowBuffer row) throws RowError {
    int i = 0;
    int token = 0;
    int prev = 0;
    boolean first = true;
    while (true) {
      while (i < len && space(b[i])) {
        i++;
      }
      if (i >= len || b[i] == '#') {
        break;
      }
      int s = i;
      int colon = -1;
      while (i < len && !space(b[i])) {
        if (b[i] == ':' && colon < 0) {
          colon = i;
        }
        i++;
      }
      int e = i;
      token++;
      if (first) {
        first = false;
        if (colon > s && cfg.weighted()) {
          double v = NumberParser.parse(b, s, colon);
          if (cfg.numLabels > 0) {
            row.labels[0] = cfg.checkLabel(v, "token 1", b, s, colon);
          } else if (!Double.isFinite(v)) {
            throw new RowError("label is not a finite number", "token 1", text(b, s, e));
          }
          row.weight = cfg.checkWeight(NumberParser.parse(b, colon + 1, e), text(b, s, e));
          continue;
        }
        if (colon < 0) {
          double v = NumberParser.parse(b, s, e);
          if (cfg.numLabels > 0) {
            row.labels[0] = cfg.checkLabel(v, "token 1", b, s, e);
          } else if (!Double.isFinite(v)) {
            throw new RowError("label is not a finite number", "token 1", text(b, s, e));
          }
          continue;
        }
        if (cfg.requireLabels) {
          throw new RowError("missing label: the first token must be the label (label:weight "
              + "only with --weight-col)", "token 1", text(b, s, e));
        }
      }
      if (colon <= s || colon == e - 1) {
        throw new RowError("expected index:value", "token " + token, text(b, s, e));
      }
      int index = 0;
      for (int k = s; k < colon; k++) {
        int c = b[k] - '0';
        if (c < 0 || c > 9 || index > (Integer.MAX_VALUE - 9) / 10) {
          throw new RowError("feature index must be a positive integer", "token " + token,
              text(b, s, e));
        }
        index = index * 10 + c;
      }
      if (index == 0) {
        throw new RowError("feature index must be a positive integer (indices are 1-based)",
            "token " + token, text(b, s, e));
      }
      if (index <= prev) {
        throw new RowError("feature indices must be strictly increasing (previous index " + prev
            + ")", "token " + token, text(b, s, e));
      }
      if (cfg.featureLimit > 0 && index > cfg.featureLimit) {
        throw new RowError("feature index " + index + " exceeds the number of features ("
            + cfg.featureLimit + ")", "token " + token, text(b, s, e));
      }
      double v = NumberParser.parse(b, colon + 1, e);
      if (!Double.isFinite(v)) {
        throw new RowError(Double.isNaN(v) ? "feature value is not a number"
            : "feature value is NaN or infinite", "token " + token, text(b, s, e));
      }
      row.add(index - 1, v);
      prev = index;
    }
    return !first;
  }

  /** CSV: exactly as many comma-separated fields as the header, each a number. */
  static void csv(ParseConfig cfg, byte[] b, int len, RowBuffer row) throws RowError {
    int fields = 1;
    for (int i = 0; i < len; i++) {
      if (b[i] == ',') {
        fields++;
      }
    }
    int expected = cfg.columnNames.length;
    if (fields != expected) {
      throw new RowError("expected " + expected + " columns as in the header, found " + fields,
          null, text(b, 0, len));
    }
    int s = 0;
    for (int c = 0; c < expected; c++) {
      int e = s;
      while (e < len && b[e] != ',') {
        e++;
      }
      int next = e + 1;
      int labelSlot = cfg.labelSlot[c];
      int featureSlot = cfg.featureSlot[c];
      boolean weight = c == cfg.weightColumn;
      if (labelSlot >= 0 || featureSlot >= 0 || weight) {
        int fs = s;
        int fe = e;
        while (fs < fe && space(b[fs])) {
          fs++;
        }
        while (fe > fs && space(b[fe - 1])) {
          fe--;
        }
        if (fe - fs >= 2 && b[fs] == '"' && b[fe - 1] == '"') {
          fs++;
          fe--;
        }
        double v = NumberParser.parse(b, fs, fe);
        if (weight) {
          row.weight = cfg.checkWeight(v, text(b, fs, fe));
        } else if (labelSlot >= 0) {
          String col = "column '" + cfg.columnNames[c] + "'";
          if (cfg.task == Task.CLASSIFICATION) {
            row.labels[labelSlot] = cfg.checkLabel(v, col, b, fs, fe);
          } else if (!Double.isFinite(v)) {
            throw new RowError(Double.isNaN(v) ? "target is not a number"
                : "target is NaN or infinite", col, text(b, fs, fe));
          } else {
            row.labels[labelSlot] = v;
          }
        } else {
          if (!Double.isFinite(v)) {
            throw new RowError(Double.isNaN(v) ? "feature value is not a number"
                : "feature value is NaN or infinite", "column '" + cfg.columnNames[c] + "'",
                text(b, fs, fe));
          }
          row.dense[featureSlot] = v;
        }
      }
      s = next;
    }
  }
}
