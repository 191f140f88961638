package io.sparkmlp.data;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What to read and how: an immutable value. Start from {@link #of(String)} and refine with the
 * {@code withX} methods.
 *
 * <p>Defaults: format inferred from the path, label column {@code label}, numFeatures inferred,
 * classification, fail on invalid rows.
 */
public final class DataSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final DataFormat format;
  private final List<String> labelCols;
  private final int numFeatures;
  private final Task task;
  private final InvalidRowPolicy onInvalid;
  private final List<String> featureNames;

  /**
   * @param path file, directory or glob on any Hadoop file system ({@code .gz} allowed)
   * @param format the format, or null to infer it from the path
   * @param labelCols CSV header / Parquet column names of the label(s); several only for
   *     regression (multi-output). LibSVM always takes the first token and allows one.
   * @param numFeatures LibSVM: 0 infers the max index; if given, a larger index is an error. CSV
   *     and Parquet: 0, or the count the columns must give.
   * @param featureNames CSV and Parquet columns: the feature columns by name, in feature order
   *     (a model's training columns); a missing or extra column is an error. Null: every column
   *     that is not a label, in file order. LibSVM and vector columns are positional either way.
   */
  public DataSpec(String path, DataFormat format, List<String> labelCols, int numFeatures,
      Task task, InvalidRowPolicy onInvalid, List<String> featureNames) {
    this.path = Objects.requireNonNull(path, "path");
    if (path.isBlank()) {
      throw new IllegalArgumentException("data path is empty");
    }
    this.format = format;
    Objects.requireNonNull(labelCols, "labelCols");
    if (labelCols.isEmpty()) {
      throw new IllegalArgumentException("at least one label column is needed");
    }
    for (String c : labelCols) {
      if (c == null || c.isBlank()) {
        throw new IllegalArgumentException("blank label column name in " + labelCols);
      }
    }
    if (labelCols.stream().distinct().count() != labelCols.size()) {
      throw new IllegalArgumentException("duplicate label column in " + labelCols);
    }
    this.labelCols = List.copyOf(labelCols);
    if (numFeatures < 0) {
      throw new IllegalArgumentException("numFeatures must be >= 0 (0 = infer), got " + numFeatures);
    }
    this.numFeatures = numFeatures;
    this.task = Objects.requireNonNull(task, "task");
    this.onInvalid = Objects.requireNonNull(onInvalid, "onInvalid");
    if (featureNames != null && featureNames.stream().distinct().count() != featureNames.size()) {
      throw new IllegalArgumentException("duplicate feature name in " + featureNames);
    }
    this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
  }

  /** A spec with the defaults for {@code path}. */
  public static DataSpec of(String path) {
    return new DataSpec(path, null, List.of("label"), 0, Task.CLASSIFICATION, InvalidRowPolicy.FAIL,
        null);
  }

  public DataSpec withPath(String p) {
    return new DataSpec(p, format, labelCols, numFeatures, task, onInvalid, featureNames);
  }

  public DataSpec withFormat(DataFormat f) {
    return new DataSpec(path, f, labelCols, numFeatures, task, onInvalid, featureNames);
  }

  public DataSpec withLabelCols(List<String> cols) {
    return new DataSpec(path, format, cols, numFeatures, task, onInvalid, featureNames);
  }

  public DataSpec withLabelCols(String... cols) {
    return withLabelCols(List.of(cols));
  }

  public DataSpec withNumFeatures(int n) {
    return new DataSpec(path, format, labelCols, n, task, onInvalid, featureNames);
  }

  public DataSpec withTask(Task t) {
    return new DataSpec(path, format, labelCols, numFeatures, t, onInvalid, featureNames);
  }

  public DataSpec withOnInvalid(InvalidRowPolicy p) {
    return new DataSpec(path, format, labelCols, numFeatures, task, p, featureNames);
  }

  /** Matches CSV and Parquet feature columns by these names (null: all non-label columns). */
  public DataSpec withFeatureNames(List<String> names) {
    return new DataSpec(path, format, labelCols, numFeatures, task, onInvalid, names);
  }

  public String path() {
    return path;
  }

  /** The format given, or null when it is to be inferred from the path. */
  public DataFormat format() {
    return format;
  }

  public List<String> labelCols() {
    return labelCols;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public Task task() {
    return task;
  }

  public InvalidRowPolicy onInvalid() {
    return onInvalid;
  }

  /** The feature columns to match by name, in feature order, or null. */
  public List<String> featureNames() {
    return featureNames;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DataSpec)) {
      return false;
    }
    DataSpec s = (DataSpec) o;
    return path.equals(s.path) && format == s.format && labelCols.equals(s.labelCols)
        && numFeatures == s.numFeatures && task == s.task && onInvalid == s.onInvalid
        && Objects.equals(featureNames, s.featureNames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, format, labelCols, numFeatures, task, onInvalid, featureNames);
  }

  @Override
  public String toString() {
    return "DataSpec{path=" + path + ", format=" + (format == null ? "infer" : format.optionName())
        + ", labelCols=" + labelCols + ", numFeatures=" + numFeatures + ", task=" + task
        + ", onInvalid=" + onInvalid
        + (featureNames == null ? "" : ", featureNames=" + featureNames) + "}";
  }
}
