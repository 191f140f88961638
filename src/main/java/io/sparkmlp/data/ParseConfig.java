package io.sparkmlp.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything a task needs to parse and validate rows, decided on the driver (from the spec, CSV
 * headers or the Parquet schema, and for {@code loadLike} the reference data set).
 */
final class ParseConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  final DataFormat format;
  final Task task;
  final InvalidRowPolicy policy;
  /** Label values per row that are read (0 when labels are not read, e.g. predict input). */
  final int numLabels;
  /** Whether a row must have its label(s) (LibSVM: the first token is the label). */
  final boolean requireLabels;
  /** LibSVM: largest allowed 1-based index; Parquet vector: required size; 0 = no limit. */
  final int featureLimit;
  /** Classification with a reference mapping: the sorted known class values, else null. */
  final double[] knownClasses;

  // CSV / Parquet columns, by position in the line (CSV) or in the selected row (Parquet).
  final String[] columnNames;
  /** Per column: the label slot it fills, or -1. */
  final int[] labelSlot;
  /** Per column: the feature slot it fills, or -1. */
  final int[] featureSlot;
  /** Number of dense feature slots (CSV, Parquet numeric columns). */
  final int denseWidth;
  /** Parquet: position of the ML vector column, or -1. */
  final int vectorColumn;

  ParseConfig(DataFormat format, Task task, InvalidRowPolicy policy, int numLabels,
      boolean requireLabels, int featureLimit, double[] knownClasses, String[] columnNames,
      int[] labelSlot, int[] featureSlot, int denseWidth, int vectorColumn) {
    this.format = format;
    this.task = task;
    this.policy = policy;
    this.numLabels = numLabels;
    this.requireLabels = requireLabels;
    this.featureLimit = featureLimit;
    this.knownClasses = knownClasses;
    this.columnNames = columnNames;
    this.labelSlot = labelSlot;
    this.featureSlot = featureSlot;
    this.denseWidth = denseWidth;
    this.vectorColumn = vectorColumn;
  }

  static ParseConfig libsvm(Task task, InvalidRowPolicy policy, boolean readLabels,
      boolean requireLabels, int featureLimit, double[] knownClasses) {
    return new ParseConfig(DataFormat.LIBSVM, task, policy, readLabels ? 1 : 0, requireLabels,
        featureLimit, knownClasses, null, null, null, 0, -1);
  }

  /**
   * The feature columns' names in feature order (CSV columns, Parquet numeric columns), or null
   * where features have no names (LibSVM, a vector column).
   */
  String[] featureNames() {
    if (columnNames == null || vectorColumn >= 0) {
      return null;
    }
    String[] names = new String[denseWidth];
    for (int c = 0; c < columnNames.length; c++) {
      if (featureSlot[c] >= 0) {
        names[featureSlot[c]] = columnNames[c];
      }
    }
    return names;
  }

  boolean classification() {
    return task == Task.CLASSIFICATION;
  }

  /** Checks a parsed label value: finite, integral for classification, known if a mapping is set. */
  double checkLabel(double v, String column, byte[] b, int from, int to) throws RowError {
    if (!Double.isFinite(v)) {
      String text = new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
      throw new RowError(Double.isNaN(v) ? "label is not a number" : "label is NaN or infinite",
          column, text);
    }
    return checkLabelValue(v, column, b, from, to);
  }

  double checkLabelValue(double v, String column, byte[] b, int from, int to) throws RowError {
    if (task == Task.CLASSIFICATION) {
      if (v != Math.rint(v) || Math.abs(v) > 9.007199254740992E15) {
        throw new RowError("class label must be an integer for classification", column,
            text(b, from, to, v));
      }
      if (knownClasses != null && Arrays.binarySearch(knownClasses, v) < 0) {
        throw new RowError("class label " + fmt(v) + " is not one of the "
            + knownClasses.length + " classes of the training data " + classList(knownClasses),
            column, text(b, from, to, v));
      }
    }
    return v;
  }

  private static String text(byte[] b, int from, int to, double v) {
    return b == null ? fmt(v) : new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static String classList(double[] classes) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < classes.length && i < 20; i++) {
      sb.append(i == 0 ? "" : ", ").append(fmt(classes[i]));
    }
    return sb.append(classes.length > 20 ? ", ...]" : "]").toString();
  }
}
