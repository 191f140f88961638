package io.sparkmlp.cli.bench;

import java.util.Arrays;

/**
 * Median, 95th percentile (nearest rank) and mean of a sample, for per-step and per-epoch
 * times: an epoch lasts the steps' mean times their count, so the mean against the median shows
 * what the tail costs.
 */
final class Percentiles {
  private Percentiles() {}

  static double median(double[] values) {
    return rank(values, 0.5);
  }

  static double p95(double[] values) {
    return rank(values, 0.95);
  }

  /** The arithmetic mean; NaN for an empty sample. */
  static double mean(double[] values) {
    double sum = 0.0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** The value of nearest rank {@code ceil(q × n)}; NaN for an empty sample. */
  static double rank(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
