package io.sparkmlp.data;

import java.io.Serializable;

/**
 * Per-feature sums over the training rows for standardisation, computed in one pass over the
 * parsed chunks and merged in any order with the same result (see {@link ExactSum}).
 *
 * <p>Values are shifted by {@code K} (the first data row's values) before summing, so the
 * one-pass variance {@code S2/N - (S1/N)^2} does not lose digits to cancellation when a feature's
 * mean is large against its spread. Sparse chunks add the implicit zeros' contribution in one
 * exact product per feature, giving exactly the sums a dense pass would.
 */
final class FeatureStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ExactSum[] s1;
  private final ExactSum[] s2;
  private long count;

  FeatureStats(int numFeatures) {
    s1 = new ExactSum[numFeatures];
    s2 = new ExactSum[numFeatures];
    for (int j = 0; j < numFeatures; j++) {
      s1[j] = new ExactSum();
      s2[j] = new ExactSum();
    }
  }

  /** Sums over the training rows of one chunk. */
  static FeatureStats ofChunk(ParsedChunk c, RowLayout layout, double[] shift) {
    int f = shift.length;
    FeatureStats st = new FeatureStats(f);
    long g0 = layout.base[c.partition][c.seq];
    long rows = 0;
    int[] nnz = c.sparse ? new int[f] : null;
    for (int r = 0; r < c.rows; r++) {
      if (layout.isValidation(g0 + r)) {
        continue;
      }
      rows++;
      if (c.sparse) {
        for (int k = c.rowPtr[r]; k < c.rowPtr[r + 1]; k++) {
          int j = c.idx[k];
          double d = c.val[k] - shift[j];
          st.s1[j].add(d);
          st.s2[j].add(d * d);
          nnz[j]++;
        }
      } else {
        int at = r * f;
        for (int j = 0; j < f; j++) {
          double d = c.dense[at + j] - shift[j];
          st.s1[j].add(d);
          st.s2[j].add(d * d);
        }
      }
    }
    if (c.sparse) {
      for (int j = 0; j < f; j++) {
        long zeros = rows - nnz[j];
        double k = shift[j];
        if (zeros > 0 && k != 0.0) {
          st.s1[j].addProduct(zeros, -k);
          st.s2[j].addProduct(zeros, k * k);
        }
      }
    }
    st.count = rows;
    return st;
  }

  FeatureStats merge(FeatureStats o) {
    for (int j = 0; j < s1.length; j++) {
      s1[j].addAll(o.s1[j]);
      s2[j].addAll(o.s2[j]);
    }
    count += o.count;
    return this;
  }

  /**
   * {mean, std}: population statistics (divide by N). A feature whose std is 0 (constant over
   * the training rows) gets std 1, so it standardises to 0 instead of dividing by zero.
   */
  double[][] meanStd(double[] shift) {
    int f = s1.length;
    double[] mean = new double[f];
    double[] std = new double[f];
    double n = count;
    for (int j = 0; j < f; j++) {
      double m1 = s1[j].value() / n;
      double var = s2[j].value() / n - m1 * m1;
      mean[j] = shift[j] + m1;
      double sd = Math.sqrt(Math.max(0.0, var));
      if (!Double.isFinite(mean[j]) || Double.isNaN(var) || Double.isInfinite(var)) {
        throw new IllegalArgumentException("feature " + j
            + " has values too large to standardise (its sum of squares overflows)");
      }
      std[j] = sd > 0.0 ? sd : 1.0;
    }
    return new double[][] {mean, std};
  }
}
