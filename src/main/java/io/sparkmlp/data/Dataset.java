package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import org.apache.spark.api.java.JavaRDD;

/**
 * A loaded, validated, stacked and cached data set (or one part of it).
 *
 * <p>{@link #blocks()} has exactly one {@link Block} per partition; partition i holds the rows
 * with ids {@code [firstRow_i, firstRow_i + rows_i)}, ascending with i and covering
 * {@code 0..numRows-1}, in the original file order. The layout depends only on the data, the
 * spec, the seed and the partition count.
 */
public final class Dataset {
  private final JavaRDD<Block> blocks;
  private final long numRows;
  private final int numFeatures;
  private final long[] partitionRows;
  private final Task task;
  private final Dtype dtype;
  private final boolean hasLabels;
  private final double[] classLabels;
  private final String[] targetNames;
  private final String[] featureNames;
  private final double[] featureMean;
  private final double[] featureStd;
  private final long skippedRows;
  private final String fingerprint;
  private final boolean sparse;
  private final long cachedBytes;

  Dataset(JavaRDD<Block> blocks, long numRows, int numFeatures, long[] partitionRows, Task task,
      Dtype dtype, boolean hasLabels, double[] classLabels, String[] targetNames,
      String[] featureNames, double[] featureMean, double[] featureStd, long skippedRows,
      String fingerprint, boolean sparse, long cachedBytes) {
    this.blocks = blocks;
    this.numRows = numRows;
    this.numFeatures = numFeatures;
    this.partitionRows = partitionRows;
    this.task = task;
    this.dtype = dtype;
    this.hasLabels = hasLabels;
    this.classLabels = classLabels;
    this.targetNames = targetNames;
    this.featureNames = featureNames;
    this.featureMean = featureMean;
    this.featureStd = featureStd;
    this.skippedRows = skippedRows;
    this.fingerprint = fingerprint;
    this.sparse = sparse;
    this.cachedBytes = cachedBytes;
  }

  /**
   * A description without rows (no blocks): what a saved model knows of its training data,
   * used as the reference of {@link DataLoader#loadLike} at predict and evaluate time.
   */
  public static Dataset schemaOnly(int numFeatures, Task task, Dtype dtype, double[] classLabels,
      String[] targetNames, double[] featureMean, double[] featureStd) {
    return new Dataset(null, 0, numFeatures, new long[0], task, dtype, true, classLabels,
        targetNames, null, featureMean, featureStd, 0, "", false, 0);
  }

  /** One block per partition, persisted MEMORY_AND_DISK and already computed. */
  public JavaRDD<Block> blocks() {
    return blocks;
  }

  public long numRows() {
    return numRows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public int numPartitions() {
    return partitionRows.length;
  }

  /** Rows per partition (index = partition), known on the driver without a job. */
  public long[] partitionRows() {
    return partitionRows.clone();
  }

  /** Global id of the first row of each partition (prefix sums of {@link #partitionRows()}). */
  public long[] partitionFirstRows() {
    long[] first = new long[partitionRows.length];
    long at = 0;
    for (int i = 0; i < first.length; i++) {
      first[i] = at;
      at += partitionRows[i];
    }
    return first;
  }

  public Task task() {
    return task;
  }

  public Dtype dtype() {
    return dtype;
  }

  /** False for unlabelled (predict) input: blocks carry no labels/targets. */
  public boolean hasLabels() {
    return hasLabels;
  }

  /**
   * Classification: the sorted distinct label values; class index i is {@code classLabels[i]}.
   * Null for regression.
   */
  public double[] classLabels() {
    return classLabels == null ? null : classLabels.clone();
  }

  /** Classification: number of classes; else 0. */
  public int numClasses() {
    return classLabels == null ? 0 : classLabels.length;
  }

  /** Regression: the target (label column) names; LibSVM gives {@code ["label"]}. Else null. */
  public String[] targetNames() {
    return targetNames == null ? null : targetNames.clone();
  }

  /** Regression: values per row; else 0. */
  public int numTargets() {
    return targetNames == null ? 0 : targetNames.length;
  }

  /**
   * The feature columns' names in feature order (CSV header, Parquet numeric columns), or null
   * where the features have no names (LibSVM, vector columns, DataFrames, schema-only data).
   */
  public String[] featureNames() {
    return featureNames == null ? null : featureNames.clone();
  }

  /** The per-feature mean subtracted from x, or null when not standardised. */
  public double[] featureMean() {
    return featureMean == null ? null : featureMean.clone();
  }

  /**
   * The per-feature population std x was divided by (1 for a constant feature), or null when not
   * standardised.
   */
  public double[] featureStd() {
    return featureStd == null ? null : featureStd.clone();
  }

  /**
   * Rows dropped as invalid under {@link InvalidRowPolicy#SKIP} while reading this data set's
   * files. For a {@link DataLoader#load} split the count is reported on the training part (the
   * skipped rows belong to neither part); the validation part reports 0.
   */
  public long skippedRows() {
    return skippedRows;
  }

  /**
   * Hex SHA-256 over the input files (path, length, modification time, sorted by path), the
   * label columns, the format and the feature count: identifies the data for checkpoints. Both
   * parts of a split share it.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /** Whether the blocks hold their features sparse (CSR), see {@link InputLayout}. */
  public boolean sparse() {
    return sparse;
  }

  /** Bytes of the blocks' arrays over all partitions ({@link Block#storedBytes()}). */
  public long cachedBytes() {
    return cachedBytes;
  }

  /** "cached N MiB (B bytes per row, dense|sparse)": what the blocks cost. */
  public String memorySummary() {
    return String.format(java.util.Locale.ROOT, "cached %.1f MiB (%.0f bytes per row, %s)",
        cachedBytes / 1048576.0, cachedBytes / (double) Math.max(1, numRows),
        sparse ? "sparse" : "dense");
  }

  /** Releases the cached blocks. */
  public void unpersist() {
    if (blocks != null) {
      blocks.unpersist(false);
    }
  }

  @Override
  public String toString() {
    return "Dataset{rows=" + numRows + ", features=" + numFeatures + ", partitions="
        + partitionRows.length + ", task=" + task + ", dtype=" + dtype.optionName()
        + (classLabels != null ? ", classes=" + classLabels.length : "")
        + (targetNames != null ? ", targets=" + targetNames.length : "")
        + (featureMean != null ? ", standardized" : "") + (sparse ? ", sparse" : "") + "}";
  }
}
