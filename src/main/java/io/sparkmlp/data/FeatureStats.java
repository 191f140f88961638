package io.sparkmlp.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Per-feature (or per-target, {@link #ofTargets}) sums over the training rows for
 * standardisation, computed in one pass over the parsed chunks and merged in any order with the
 * same result (see {@link ExactSum}).
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
  /** Σ wᵢ of the rows summed with weights ({@link #ofTargets} of weighted data), else empty. */
  private final ExactSum weightSum = new ExactSum();
  private boolean weighted;

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
        st.addDense(c.dense, r * f, shift);
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

  /**
   * Sums of the regression targets over the training rows of one chunk, shifted by
   * {@code shift} (the first row's targets), exactly as {@link #ofChunk} sums dense features.
   * Rows with a sample weight w count w times: {@code Σ w·d} and {@code Σ w·d²} (each product
   * added exactly) over {@code Σ w}, so a row of weight 2 gives the statistics of the row
   * written twice and a row of weight 0 those of the row removed.
   */
  static FeatureStats ofTargets(ParsedChunk c, RowLayout layout, double[] shift) {
    int k = shift.length;
    FeatureStats st = new FeatureStats(k);
    st.weighted = c.weights != null;
    long g0 = layout.base[c.partition][c.seq];
    for (int r = 0; r < c.rows; r++) {
      if (layout.isValidation(g0 + r)) {
        continue;
      }
      st.count++;
      if (st.weighted) {
        double w = c.weights[r];
        st.weightSum.add(w);
        for (int j = 0; j < k; j++) {
          double d = c.labels[r * c.numLabels + j] - shift[j];
          st.s1[j].addProduct(w, d);
          st.s2[j].addProduct(w, d * d);
        }
      } else {
        st.addDense(c.labels, r * c.numLabels, shift);
      }
    }
    return st;
  }

  /**
   * The scaling of {@code numTargets} regression targets from the training rows of
   * {@code chunks} (one pass, exact sums shifted by the first row's targets), as
   * {@code --standardize-targets} trains on them.
   */
  static TargetScaling targetScaling(JavaRDD<ParsedChunk> chunks, List<ChunkSummary> ordered,
      RowLayout layout, int numTargets) {
    double[] shift = new double[numTargets];
    for (ChunkSummary c : ordered) {
      if (c.rows > 0) {
        shift = Arrays.copyOf(c.firstLabels, numTargets);
        break;
      }
    }
    double[] k = shift;
    double[][] ms = chunks.map(c -> ofTargets(c, layout, k)).reduce(FeatureStats::merge)
        .meanStd(k, "target");
    return new TargetScaling(ms[0], ms[1]);
  }

  /** Adds one dense row, {@code values[at ..]}, shifted. */
  private void addDense(double[] values, int at, double[] shift) {
    for (int j = 0; j < shift.length; j++) {
      double d = values[at + j] - shift[j];
      s1[j].add(d);
      s2[j].add(d * d);
    }
  }

  FeatureStats merge(FeatureStats o) {
    for (int j = 0; j < s1.length; j++) {
      s1[j].addAll(o.s1[j]);
      s2[j].addAll(o.s2[j]);
    }
    count += o.count;
    weightSum.addAll(o.weightSum);
    weighted |= o.weighted;
    return this;
  }

  /**
   * {mean, std}: population statistics (divide by N). A feature whose std is 0 (constant over
   * the training rows) gets std 1, so it standardises to 0 instead of dividing by zero.
   */
  double[][] meanStd(double[] shift) {
    return meanStd(shift, "feature");
  }

  /** As {@link #meanStd(double[])}, naming a value that overflows a {@code what} in the error. */
  double[][] meanStd(double[] shift, String what) {
    int f = s1.length;
    double[] mean = new double[f];
    double[] std = new double[f];
    double n = weighted ? weightSum.value() : count;
    if (n <= 0) {
      throw new IllegalArgumentException("cannot standardise the " + what + "s: the training "
          + "rows' weights sum to 0");
    }
    for (int j = 0; j < f; j++) {
      double m1 = s1[j].value() / n;
      double var = s2[j].value() / n - m1 * m1;
      mean[j] = shift[j] + m1;
      double sd = Math.sqrt(Math.max(0.0, var));
      if (!Double.isFinite(mean[j]) || Double.isNaN(var) || Double.isInfinite(var)) {
        throw new IllegalArgumentException(what + " " + j
            + " has values too large to standardise (its sum of squares overflows)");
      }
      std[j] = sd > 0.0 ? sd : 1.0;
    }
    return new double[][] {mean, std};
  }
}
