package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Examples;
import io.sparkmlp.nn.SparseRows;
import java.io.Serializable;
import java.util.List;

/**
 * One partition's rows stacked row-major in the compute dtype: the unit the trainer works on.
 * Holds flat primitive arrays only (no per-row objects), so a cached million-row data set costs
 * little more than its numbers.
 *
 * <p>Features are dense or sparse ({@link #isSparse()}). Dense: exactly one of
 * {@link #x32()}/{@link #x64()} is non-null, per {@link #dtype()}. Sparse: {@link #sparse()}
 * holds the rows in CSR (values in the dtype, standardisation as a centre, see
 * {@link SparseRows}) and both dense arrays are null. For
 * classification {@link #labels()} holds class indices (see {@link Dataset#classLabels()}); for
 * regression one of {@link #targets32()}/{@link #targets64()} holds (rows, numTargets) values; for
 * unlabelled (predict) input all three are null.
 *
 * <p>The arrays are shared, not copied: do not modify them. A block is the {@link Examples} a
 * kernel's pass reads.
 */
public final class Block implements Serializable, Examples {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final long firstRow;
  private final int rows;
  private final int numFeatures;
  private final Dtype dtype;
  private final float[] x32;
  private final double[] x64;
  private final SparseRows sparse;
  private final int[] labels;
  private final float[] targets32;
  private final double[] targets64;
  private final int numTargets;

  Block(int partition, long firstRow, int rows, int numFeatures, Dtype dtype, float[] x32,
      double[] x64, int[] labels, float[] targets32, double[] targets64, int numTargets) {
    this(partition, firstRow, rows, numFeatures, dtype, x32, x64, null, labels, targets32,
        targets64, numTargets);
  }

  /** A sparse block: features in {@code sparse}, no dense arrays. */
  Block(int partition, long firstRow, int rows, int numFeatures, Dtype dtype, SparseRows sparse,
      int[] labels, float[] targets32, double[] targets64, int numTargets) {
    this(partition, firstRow, rows, numFeatures, dtype, null, null, sparse, labels, targets32,
        targets64, numTargets);
  }

  private Block(int partition, long firstRow, int rows, int numFeatures, Dtype dtype, float[] x32,
      double[] x64, SparseRows sparse, int[] labels, float[] targets32, double[] targets64,
      int numTargets) {
    this.partition = partition;
    this.firstRow = firstRow;
    this.rows = rows;
    this.numFeatures = numFeatures;
    this.dtype = dtype;
    this.x32 = x32;
    this.x64 = x64;
    this.sparse = sparse;
    this.labels = labels;
    this.targets32 = targets32;
    this.targets64 = targets64;
    this.numTargets = numTargets;
    long cells = (long) rows * numFeatures;
    boolean denseOk = sparse == null
        ? (dtype == Dtype.FLOAT32) == (x32 != null) && (dtype == Dtype.FLOAT64) == (x64 != null)
        : x32 == null && x64 == null && sparse.rows() == rows && sparse.numCols() == numFeatures
            && (dtype == Dtype.FLOAT32) == (sparse.values32() != null);
    if (!denseOk || (x32 != null && x32.length != cells) || (x64 != null && x64.length != cells)
        || (labels != null && labels.length != rows)
        || (targets32 != null && targets32.length != (long) rows * numTargets)
        || (targets64 != null && targets64.length != (long) rows * numTargets)) {
      throw new IllegalArgumentException("inconsistent block arrays");
    }
  }

  /** An empty block of {@code dtype} with the label arrays of {@code like} (null or empty). */
  static Block empty(int partition, long firstRow, int numFeatures, Dtype dtype, boolean labels,
      int numTargets, boolean sparse, double[] center) {
    boolean f32 = dtype == Dtype.FLOAT32;
    SparseRows rows = !sparse ? null : f32
        ? SparseRows.of32(0, numFeatures, new int[1], new int[0], new float[0], center)
        : SparseRows.of64(0, numFeatures, new int[1], new int[0], new double[0], center);
    return new Block(partition, firstRow, 0, numFeatures, dtype, !sparse && f32 ? new float[0] : null,
        !sparse && !f32 ? new double[0] : null, rows, labels ? new int[0] : null,
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
    boolean sparse = pieces.get(0).sparse != null;
    long cells = 0;
    for (Block p : pieces) {
      cells += sparse ? p.sparse.nnz() : (long) p.rows * numFeatures;
    }
    if (total > Integer.MAX_VALUE - 16 || cells > Integer.MAX_VALUE - 16) {
      if (sparse) {
        throw new IllegalStateException("partition " + partition + " would hold " + cells
            + " non-zeros, more than a Java array holds; use more partitions");
      }
      throw new IllegalStateException("partition " + partition + " would hold " + total + " rows x "
          + numFeatures + " features, more than a Java array holds; use more partitions");
    }
    if (pieces.size() == 1 && pieces.get(0).partition == partition) {
      return pieces.get(0);
    }
    int rows = (int) total;
    boolean f32 = dtype == Dtype.FLOAT32;
    int nnz = (int) cells;
    float[] x32 = f32 && !sparse ? new float[rows * numFeatures] : null;
    double[] x64 = !f32 && !sparse ? new double[rows * numFeatures] : null;
    int[] ptr = sparse ? new int[rows + 1] : null;
    int[] idx = sparse ? new int[nnz] : null;
    float[] v32 = sparse && f32 ? new float[nnz] : null;
    double[] v64 = sparse && !f32 ? new double[nnz] : null;
    int[] labels = hasLabels ? new int[rows] : null;
    float[] t32 = numTargets > 0 && f32 ? new float[rows * numTargets] : null;
    double[] t64 = numTargets > 0 && !f32 ? new double[rows * numTargets] : null;
    int at = 0;
    for (Block p : pieces) {
      int n = p.rows;
      if (sparse) {
        int base = ptr[at];
        int pn = p.sparse.nnz();
        for (int r = 1; r <= n; r++) {
          ptr[at + r] = base + p.sparse.rowPtr()[r];
        }
        System.arraycopy(p.sparse.colIdx(), 0, idx, base, pn);
        if (f32) {
          System.arraycopy(p.sparse.values32(), 0, v32, base, pn);
        } else {
          System.arraycopy(p.sparse.values64(), 0, v64, base, pn);
        }
      } else if (f32) {
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
    if (sparse) {
      double[] center = pieces.get(0).sparse.center();
      SparseRows x = f32 ? SparseRows.of32(rows, numFeatures, ptr, idx, v32, center)
          : SparseRows.of64(rows, numFeatures, ptr, idx, v64, center);
      return new Block(partition, firstRow, rows, numFeatures, dtype, x, labels, t32, t64,
          numTargets);
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

  @Override
  public int rows() {
    return rows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public Dtype dtype() {
    return dtype;
  }

  /** Whether the features are stored sparse, in {@link #sparse()}. */
  public boolean isSparse() {
    return sparse != null;
  }

  /** The features in CSR when {@link #isSparse()}, else null. */
  @Override
  public SparseRows sparse() {
    return sparse;
  }

  /**
   * Bytes of this block's arrays: features (dense cells or CSR), labels and targets. Sparse
   * blocks count their centre once.
   */
  public long storedBytes() {
    long b = dtype.bytes();
    long features = sparse != null ? sparse.storedBytes() : (long) rows * numFeatures * b;
    return features + (labels == null ? 0 : 4L * rows) + (long) rows * numTargets * b;
  }

  /** (rows, numFeatures) row-major for dense float32, else null. */
  @Override
  public float[] x32() {
    return x32;
  }

  /** (rows, numFeatures) row-major for dense float64, else null. */
  @Override
  public double[] x64() {
    return x64;
  }

  /** Classification: the class index (0..k-1) of each row, else null. */
  @Override
  public int[] labels() {
    return labels;
  }

  /** Regression in float32: (rows, numTargets) row-major, else null. */
  @Override
  public float[] targets32() {
    return targets32;
  }

  /** Regression in float64: (rows, numTargets) row-major, else null. */
  @Override
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
        + ", numFeatures=" + numFeatures + ", dtype=" + dtype.optionName()
        + (sparse != null ? ", sparse nnz=" + sparse.nnz() : "") + "}";
  }
}
