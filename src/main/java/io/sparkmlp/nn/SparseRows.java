package io.sparkmlp.nn;

import java.io.Serializable;

/**
 * Rows of a sparse input matrix in CSR form, values in the compute dtype: row {@code r}'s
 * non-zeros are {@code values[p]} at column {@code colIdx[p]} for
 * {@code rowPtr[r] <= p < rowPtr[r + 1]}, columns strictly increasing within a row. Memory is
 * {@code 4·(rows + 1) + nnz·(4 + bytes per value)}, independent of the column count.
 *
 * <p>Optionally <b>centred</b>: with a {@code center} vector c the rows stand for
 * {@code X = S − 1·cᵀ}, where S is the stored sparse matrix. This is how standardised sparse
 * data stays sparse: {@code (x − μ)/σ = x/σ − μ/σ}, so S holds {@code x/σ} (zero where x is zero)
 * and {@code c = μ/σ}. The kernels fold c into the first layer exactly:
 * {@code X·Wᵀ + 1·bᵀ = S·Wᵀ + 1·(b − W·c)ᵀ} and {@code dW = Δᵀ·X = Δᵀ·S − (Σ_rows Δ)ᵀ·cᵀ}.
 *
 * <p>Exactly one of {@link #values32()}/{@link #values64()} is non-null. The arrays may be longer
 * than needed (reused buffers); only {@code rowPtr[0..rows]} and the first {@code nnz} entries
 * count. They are shared, not copied: do not modify them.
 */
public final class SparseRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int numCols;
  private final int[] rowPtr;
  private final int[] colIdx;
  private final float[] values32;
  private final double[] values64;
  private final double[] center;

  private SparseRows(int rows, int numCols, int[] rowPtr, int[] colIdx, float[] values32,
      double[] values64, double[] center) {
    this(rows, numCols, rowPtr, colIdx, values32, values64, center, true);
  }

  private SparseRows(int rows, int numCols, int[] rowPtr, int[] colIdx, float[] values32,
      double[] values64, double[] center, boolean validate) {
    this.rows = rows;
    this.numCols = numCols;
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.values32 = values32;
    this.values64 = values64;
    this.center = center;
    if (validate) {
      validate();
    }
  }

  /** Checks the CSR structure, naming the first bad row or array. */
  private void validate() {
    if (rows < 0 || numCols < 1) {
      throw new IllegalArgumentException("sparse rows need rows >= 0 and columns >= 1, got "
          + rows + " x " + numCols);
    }
    if (rowPtr.length < rows + 1 || rowPtr[0] != 0) {
      throw new IllegalArgumentException("row pointers must start at 0 and hold rows + 1 = "
          + (rows + 1) + " entries, got " + rowPtr.length);
    }
    int nnz = rowPtr[rows];
    int values = values32 != null ? values32.length : values64.length;
    if (nnz > colIdx.length || nnz > values) {
      throw new IllegalArgumentException("row pointers claim " + nnz + " non-zeros, but there are "
          + colIdx.length + " column indices and " + values + " values");
    }
    if (center != null && center.length != numCols) {
      throw new IllegalArgumentException(
          "center has " + center.length + " entries, the rows have " + numCols + " columns");
    }
    for (int r = 0; r < rows; r++) {
      int prev = -1;
      if (rowPtr[r + 1] < rowPtr[r]) {
        throw new IllegalArgumentException("row pointers decrease at row " + r);
      }
      for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
        int c = colIdx[p];
        if (c <= prev || c >= numCols) {
          throw new IllegalArgumentException("row " + r + ": column " + c + " after " + prev
              + " (columns must increase within a row and lie in [0, " + numCols + "))");
        }
        prev = c;
      }
    }
  }

  /** Float32 rows; {@code center} may be null (not centred). Validates the structure. */
  public static SparseRows of32(int rows, int numCols, int[] rowPtr, int[] colIdx,
      float[] values, double[] center) {
    return new SparseRows(rows, numCols, rowPtr, colIdx, values, null, center);
  }

  /** Float64 rows; {@code center} may be null (not centred). Validates the structure. */
  public static SparseRows of64(int rows, int numCols, int[] rowPtr, int[] colIdx,
      double[] values, double[] center) {
    return new SparseRows(rows, numCols, rowPtr, colIdx, null, values, center);
  }

  public int rows() {
    return rows;
  }

  public int numCols() {
    return numCols;
  }

  /** Stored non-zeros. */
  public int nnz() {
    return rowPtr[rows];
  }

  public int[] rowPtr() {
    return rowPtr;
  }

  public int[] colIdx() {
    return colIdx;
  }

  public float[] values32() {
    return values32;
  }

  public double[] values64() {
    return values64;
  }

  /** The centre c of {@code X = S − 1·cᵀ}, or null when the rows are not centred. */
  public double[] center() {
    return center;
  }

  /** Bytes of the stored arrays (the used part): what caching these rows costs. */
  public long storedBytes() {
    return 4L * (rows + 1) + (long) nnz() * (4 + (values32 != null ? 4 : 8))
        + (center == null ? 0 : 8L * numCols);
  }

  /**
   * Rows {@code order[from..from+m)} of this matrix, in that order, copied into {@code into}'s
   * arrays (grown when too small) and returned as rows sharing them, with the same centre. Not
   * validated again: they are rows of this already valid matrix. For gathering a shuffled batch
   * every step without allocating in proportion to it.
   */
  public SparseRows gather(int[] order, int from, int m, GatherBuffers into) {
    return gather(order, from, m, into, values32 != null ? Dtype.FLOAT32 : Dtype.FLOAT64);
  }

  /**
   * The same, with the values in {@code dtype}: copied when they are stored in it, else rounded
   * to float32 or widened to float64. A null {@code order} takes rows {@code from..from+m}.
   */
  public SparseRows gather(int[] order, int from, int m, GatherBuffers into, Dtype dtype) {
    boolean f32 = dtype == Dtype.FLOAT32;
    int nnz = 0;
    for (int i = 0; i < m; i++) {
      int r = order == null ? from + i : order[from + i];
      nnz += rowPtr[r + 1] - rowPtr[r];
    }
    into.reserve(m, nnz, f32);
    int[] ptr = into.ptr;
    int at = 0;
    for (int i = 0; i < m; i++) {
      int r = order == null ? from + i : order[from + i];
      int n = rowPtr[r + 1] - rowPtr[r];
      System.arraycopy(colIdx, rowPtr[r], into.idx, at, n);
      copyValues(rowPtr[r], n, f32, into, at);
      at += n;
      ptr[i + 1] = at;
    }
    return new SparseRows(m, numCols, ptr, into.idx, f32 ? into.values32 : null,
        f32 ? null : into.values64, center, false);
  }

  /** Values {@code [p, p + n)} into {@code into}'s values of the chosen dtype from {@code at}. */
  private void copyValues(int p, int n, boolean f32, GatherBuffers into, int at) {
    if (f32 && values32 != null) {
      System.arraycopy(values32, p, into.values32, at, n);
    } else if (!f32 && values64 != null) {
      System.arraycopy(values64, p, into.values64, at, n);
    } else if (f32) {
      for (int i = 0; i < n; i++) {
        into.values32[at + i] = (float) values64[p + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        into.values64[at + i] = values32[p + i];
      }
    }
  }

  /** Reusable arrays for {@link #gather}: one per caller, grown as needed, never shrunk. */
  public static final class GatherBuffers {
    private int[] ptr = new int[1];
    private int[] idx = new int[0];
    private float[] values32 = new float[0];
    private double[] values64 = new double[0];

    private void reserve(int rows, int nnz, boolean f32) {
      if (ptr.length < rows + 1) {
        ptr = new int[Math.max(rows + 1, 2 * ptr.length)];
      }
      if (idx.length < nnz) {
        idx = new int[Math.max(nnz, 2 * idx.length)];
      }
      if (f32 && values32.length < nnz) {
        values32 = new float[idx.length];
      } else if (!f32 && values64.length < nnz) {
        values64 = new double[idx.length];
      }
    }
  }

  /**
   * Row {@code r} as a dense row (centre subtracted) written into {@code out} from
   * {@code offset}: for tests and for densifying a batch.
   */
  public void denseRow(int r, double[] out, int offset) {
    for (int j = 0; j < numCols; j++) {
      out[offset + j] = center == null ? 0.0 : -center[j];
    }
    for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      double v = values32 != null ? values32[p] : values64[p];
      out[offset + colIdx[p]] += v;
    }
  }
}
