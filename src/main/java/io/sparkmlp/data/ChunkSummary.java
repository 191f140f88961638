package io.sparkmlp.data;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/** What the driver learns about a {@link ParsedChunk} in the first pass. */
final class ChunkSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Global row order: files by path, then position in the file. */
  static final Comparator<ChunkSummary> FILE_ORDER = Comparator
      .comparing((ChunkSummary c) -> c.file)
      .thenComparingLong(c -> c.start)
      .thenComparingInt(c -> c.partition)
      .thenComparingInt(c -> c.seq);

  final int partition;
  final int seq;
  final String file;
  final long start;
  final int rows;
  final int width;
  final long skipped;
  final List<Problem> samples;
  final Problem failure;
  final double[] distinctLabels;
  /** The first row's features: sparse (firstIdx != null) or dense. Null when rows == 0. */
  final int[] firstIdx;
  final double[] firstVal;
  /** Feature values that are not zero, over all rows: the data's density. */
  final long nonZeros;
  /** Rows whose sample weight is above 0 (all rows when the data has no weights). */
  final long positiveWeights;
  /** The first row's label values (numLabels of them). Null when rows == 0. */
  final double[] firstLabels;
  /** The rows' validation marks ({@link ParsedChunk#heldOut}), or null. */
  final long[] heldOut;

  ChunkSummary(int partition, int seq, String file, long start, int rows, int width, long skipped,
      List<Problem> samples, Problem failure, double[] distinctLabels,
      int[] firstIdx, double[] firstVal, long nonZeros, long positiveWeights,
      double[] firstLabels, long[] heldOut) {
    this.partition = partition;
    this.seq = seq;
    this.file = file;
    this.start = start;
    this.rows = rows;
    this.width = width;
    this.skipped = skipped;
    this.samples = samples;
    this.failure = failure;
    this.distinctLabels = distinctLabels;
    this.firstIdx = firstIdx;
    this.firstVal = firstVal;
    this.nonZeros = nonZeros;
    this.positiveWeights = positiveWeights;
    this.firstLabels = firstLabels;
    this.heldOut = heldOut;
  }

  /** The first row as a dense vector of {@code numFeatures}. */
  double[] firstRowDense(int numFeatures) {
    double[] out = new double[numFeatures];
    if (firstIdx != null) {
      for (int k = 0; k < firstIdx.length; k++) {
        out[firstIdx[k]] = firstVal[k];
      }
    } else {
      System.arraycopy(firstVal, 0, out, 0, Math.min(numFeatures, firstVal.length));
    }
    return out;
  }
}
