package io.sparkmlp.data;

import java.io.Serializable;
import java.util.List;

/**
 * The valid rows of one contiguous piece of one input file (a text split, or a run of Parquet
 * records), parsed into flat arrays: dense row-major features, or CSR for sparse input. Cached
 * between the loader's passes; its place in the global row order is (file, start).
 */
final class ParsedChunk implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Identity: the Spark partition that produced it and its index among that partition's chunks. */
  final int partition;
  final int seq;
  /** The file (as Hadoop names it) and the chunk's starting byte offset or record index. */
  final String file;
  final long start;
  final int rows;
  final int numLabels;
  /** (rows, numLabels) row-major. */
  final double[] labels;
  final boolean sparse;
  /** Dense: features per row. Sparse: the largest width any row implies. */
  final int width;
  final double[] dense;
  final int[] rowPtr;
  final int[] idx;
  final double[] val;
  final long skipped;
  /** First few errors of skipped rows (SKIP), in order. */
  final List<Problem> samples;
  /** The first invalid row under FAIL (parsing of the chunk stopped there), else null. */
  final Problem failure;
  /** Classification: the sorted distinct label values of the chunk, else null. */
  final double[] distinctLabels;
  /** Each row's sample weight, or null when the data has no weights. */
  final double[] weights;
  /**
   * Bit r set: row r is marked for validation by the DataFrame's validation indicator column;
   * null without such a column (see {@link #withHeldOut}).
   */
  final long[] heldOut;

  ParsedChunk(int partition, int seq, String file, long start, int rows, int numLabels,
      double[] labels, boolean sparse, int width, double[] dense, int[] rowPtr, int[] idx,
      double[] val, long skipped, List<Problem> samples,
      Problem failure, double[] distinctLabels, double[] weights) {
    this(partition, seq, file, start, rows, numLabels, labels, sparse, width, dense, rowPtr, idx,
        val, skipped, samples, failure, distinctLabels, weights, null);
  }

  private ParsedChunk(int partition, int seq, String file, long start, int rows, int numLabels,
      double[] labels, boolean sparse, int width, double[] dense, int[] rowPtr, int[] idx,
      double[] val, long skipped, List<Problem> samples,
      Problem failure, double[] distinctLabels, double[] weights, long[] heldOut) {
    this.heldOut = heldOut;
    this.partition = partition;
    this.seq = seq;
    this.file = file;
    this.start = start;
    this.rows = rows;
    this.numLabels = numLabels;
    this.labels = labels;
    this.sparse = sparse;
    this.width = width;
    this.dense = dense;
    this.rowPtr = rowPtr;
    this.idx = idx;
    this.val = val;
    this.skipped = skipped;
    this.samples = samples;
    this.failure = failure;
    this.distinctLabels = distinctLabels;
    this.weights = weights;
  }

  /** This chunk with its rows' validation marks: bit r set, row r is held out. */
  ParsedChunk withHeldOut(long[] bits) {
    return new ParsedChunk(partition, seq, file, start, rows, numLabels, labels, sparse, width,
        dense, rowPtr, idx, val, skipped, samples, failure, distinctLabels, weights, bits);
  }

  /** Writes row {@code r}'s features into {@code out} (length = numFeatures, zeroed first). */
  void denseRow(int r, double[] out) {
    if (sparse) {
      java.util.Arrays.fill(out, 0.0);
      for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
        out[idx[k]] = val[k];
      }
    } else {
      System.arraycopy(dense, r * width, out, 0, width);
    }
  }

  /** The small facts the driver needs to plan, without the row data. */
  ChunkSummary summary() {
    int[] firstIdx = null;
    double[] firstVal = null;
    if (rows > 0) {
      if (sparse) {
        firstIdx = java.util.Arrays.copyOfRange(idx, rowPtr[0], rowPtr[1]);
        firstVal = java.util.Arrays.copyOfRange(val, rowPtr[0], rowPtr[1]);
      } else {
        firstVal = java.util.Arrays.copyOf(dense, width);
      }
    }
    long nonZeros = 0;
    double[] values = sparse ? val : dense;
    int used = sparse ? (rows == 0 ? 0 : rowPtr[rows]) : rows * width;
    for (int i = 0; i < used; i++) {
      if (values[i] != 0.0) {
        nonZeros++;
      }
    }
    long positive = rows;
    if (weights != null) {
      positive = 0;
      for (int r = 0; r < rows; r++) {
        if (weights[r] > 0) {
          positive++;
        }
      }
    }
    return new ChunkSummary(partition, seq, file, start, rows, width, skipped, samples, failure,
        distinctLabels, firstIdx, firstVal, nonZeros, positive,
        rows > 0 ? java.util.Arrays.copyOf(labels, numLabels) : null, heldOut);
  }
}
