package io.sparkmlp.data;

import java.util.Arrays;

/**
 * Scratch space for the row being parsed; reused for every row of a split so parsing creates no
 * per-row objects. A row is copied into the chunk only once it is fully valid.
 */
final class RowBuffer {
  final double[] labels;
  /** Dense features (CSV, Parquet numeric columns), or null for sparse formats. */
  final double[] dense;
  int nnz;
  int[] idx = new int[64];
  double[] val = new double[64];
  /** Sparse: number of features the row implies (max index + 1, or the vector size). */
  int width;
  /** The row's sample weight (1 unless the data has weights). */
  double weight = 1.0;

  RowBuffer(int numLabels, int denseWidth, boolean sparse) {
    labels = new double[numLabels];
    dense = sparse ? null : new double[denseWidth];
  }

  void reset() {
    nnz = 0;
    width = 0;
    weight = 1.0;
  }

  /** Appends a sparse entry (0-based index, increasing). */
  void add(int index, double value) {
    if (nnz == idx.length) {
      idx = Arrays.copyOf(idx, nnz * 2);
      val = Arrays.copyOf(val, nnz * 2);
    }
    idx[nnz] = index;
    val[nnz++] = value;
    if (index + 1 > width) {
      width = index + 1;
    }
  }
}
