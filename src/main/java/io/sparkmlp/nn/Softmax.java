package io.sparkmlp.nn;

/**
 * Numerically stable softmax over rows of logits: {@code logsumexp(z) = max(z) + log Σ e^(z − max)}
 * never overflows, and {@code softmax(z)_j = e^(z_j − logsumexp(z))}.
 */
public final class Softmax {
  private Softmax() {}

  /** {@code log Σ_j e^(z_j)} over the {@code k} values from {@code offset}. */
  public static double logSumExp(double[] z, int offset, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, z[offset + j]);
    }
    double sum = 0.0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(z[offset + j] - max);
    }
    return max + Math.log(sum);
  }

  /** Replaces each of {@code rows} rows of {@code k} logits by its probabilities, in place. */
  public static void inPlace(double[] logits, int rows, int k) {
    for (int r = 0; r < rows; r++) {
      int o = r * k;
      double lse = logSumExp(logits, o, k);
      for (int j = 0; j < k; j++) {
        logits[o + j] = Math.exp(logits[o + j] - lse);
      }
    }
  }
}
