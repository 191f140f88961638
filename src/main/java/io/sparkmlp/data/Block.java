package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import java.io.Serializable;
import java.util.List;

/**
 * One partition's rows stacked row-major in the compute dtype: the unit the trainer works on.
 * Holds flat primitive arrays only (no per-row objects), so a cached million-row data set costs
 * little more than its numbers.
 *
 * <p>Exactly one of {@link #x32()}/{@link #x64()} is non-null, per {@link #dtype()}. For
 * classification {@link #labels()} holds class indices (see {@link Dataset#classLabels()}); for
 * regression one of {@link #targets32()}/{@link #targets64()} holds (rows, numTargets) values; for
 * unlabelled (predict) input all three are null.
 *
 * <p>The arrays are shared, not copied: do not modify them.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final long firstRow;
  private final int rows;
  private final int numFeatures;
  private final Dtype dtype;
  private final float[] x32;
  private final double[] x64;
  private final int[] labels;
  private final float[] targets32;
  private final double[] targets64;
  private final int numTargets;

  Block(int partition, long firstRow, int rows, int numFeatures, Dtype dtype, float[] x32,
      double[] x64, int[] labels, float[] targets32, double[] targets64, int numTargets) {
    this.partition = partition;
    this.firstRow = firstRow;
    this.rows = rows;
    this.numFeatures = numFeatures;
    this.dtype = dtype;
    this.x32 = x32;
    this.x64 = x64;
    this.labels = labels;
    this.targets32 = targets32;
    this.targets64 = targets64;
    this.numTargets = numTargets;
    long cells = (long) rows * numFeatures;
    if ((dtype == Dtype.FLOAT32) != (x32 != null) || (dtype == Dtype.FLOAT64) != (x64 != null)
        || (x32 != null && x32.length != cells) || (x64 != null && x64.length != cells)
        || (labels != null && labels.length != rows)
        || (targets32 != null && targets32.length != (long) rows * numTargets)
        || (targets64 != null && targets64.length != (long) rows * numTargets)) {
      throw new IllegalArgumentException("inconsistent block arrays");
    }
  }

  /** An empty block of {@code dtype} with the label arrays of {@code like} (null or empty). */
  static Block empty(int partition, long firstRow, int numFeatures, Dtype dtype, boolean labels,
      int numTargets) {
    boolean f32 = dtype == Dtype.FLOAT32;
    return new Block(partition, firstRow, 0, numFeatures, dtype, f32 ? new float[0] : null,
        f32 ? null : new double[0], labels ? new int[0] : null,
        numTargets > 0 && f32 ? new float[0] : null, numTargets > 0 && !f32 ? new double[0] : null,
        numTargets);
  }

  /** Concatenates consecutive pieces (sorted by first row, contiguous) into one block. */
  static Block concat(int partition, long firstRow, int numFeatures, Dtype dtype,
      boolean hasLabels, int numTargets, List<Block> pieces) {
    long total = 0;
    long next = firstRow;
    for (Block p : pieces) {
      if (p.firstRow != next) {
        throw new IllegalStateException("block " + partition + ": rows from " + next
            + " expected, piece starts at " + p.firstRow);
      }
      next += p.rows;
      total += p.rows;
    }
    if (total > Integer.MAX_VALUE || total * Math.max(1, numFeatures) > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("partition " + partition + " would hold " + total + " rows x "
          + numFeatures + " features, more than a Java array holds; use more partitions");
    }
    if (pieces.size() == 1 && pieces.get(0).partition == partition) {
      return pieces.get(0);
    }
    int rows = (int) total;
    boolean f32 = dtype == Dtype.FLOAT32;
    float[] x32 = f32 ? new float[rows * numFeatures] : null;
    double[] x64 = f32 ? null : new double[rows * numFeatures];
    int[] labels = hasLabels ? new int[rows] : null;
    float[] t32 = numTargets > 0 && f32 ? new float[rows * numTargets] : null;
    double[] t64 = numTargets > 0 && !f32 ? new double[rows * numTargets] : null;
    int at = 0;
    for (Block p : pieces) {
      int n = p.rows;
      if (f32) {
        System.arraycopy(p.x32, 0, x32, at * numFeatures, n * numFeatures);
      } else {
        System.arraycopy(p.x64, 0, x64, at * numFeatures, n * numFeatures);
      }
      if (labels != null) {
        System.arraycopy(p.labels, 0, labels, at, n);
      }
      if (t32 != null) {
        System.arraycopy(p.targets32, 0, t32, at * numTargets, n * numTargets);
      }
      if (t64 != null) {
        System.arraycopy(p.targets64, 0, t64, at * numTargets, n * numTargets);
      }
      at += n;
    }
    return new Block(partition, firstRow, rows, numFeatures, dtype, x32, x64, labels, t32, t64,
        numTargets);
  }

  /** Index of this block's partition. */
  public int partition() {
    return partition;
  }

  /** Global row id of the first row; the rows of a block have consecutive ids. */
  public long firstRow() {
    return firstRow;
  }

  public int rows() {
    return rows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public Dtype dtype() {
    return dtype;
  }

  /** (rows, numFeatures) row-major for float32, else null. */
  public float[] x32() {
    return x32;
  }

  /** (rows, numFeatures) row-major for float64, else null. */
  public double[] x64() {
    return x64;
  }

  /** Classification: the class index (0..k-1) of each row, else null. */
  public int[] labels() {
    return labels;
  }

  /** Regression in float32: (rows, numTargets) row-major, else null. */
  public float[] targets32() {
    return targets32;
  }

  /** Regression in float64: (rows, numTargets) row-major, else null. */
  public double[] targets64() {
    return targets64;
  }

  /** Regression: targets per row; 0 for classification and unlabelled input. */
  public int numTargets() {
    return numTargets;
  }

  @Override
  public String toString() {
    return "Block{partition=" + partition + ", firstRow=" + firstRow + ", rows=" + rows
        + ", numFeatures=" + numFeatures + ", dtype=" + dtype.optionName() + "}";
  }
}
