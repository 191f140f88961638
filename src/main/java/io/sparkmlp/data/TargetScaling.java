package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Regression targets standardised for training ({@code --standardize-targets}): the network
 * learns {@code z_k = (y_k − μ_k)/σ_k} for every target k, with μ and σ the population mean and
 * std of the training rows (σ = 1 for a constant target), summed exactly like the feature
 * statistics ({@link FeatureStats}).
 *
 * <p>A network that predicts z predicts y once its last layer is folded:
 * {@code y_k = σ_k·(W_k·a + b_k) + μ_k = (σ_k·W_k)·a + (σ_k·b_k + μ_k)}, so the folded last layer
 * is {@code W'_k = σ_k·W_k} (row k of {@code [out, in]}) and {@code b'_k = σ_k·b_k + μ_k}
 * ({@link #fold}). Every model file holds folded weights: it predicts in the targets' units with
 * nothing else to apply, in the CLI, the Spark ML models and PyTorch alike. {@link #unfold} is
 * the inverse, for starting weights given in the targets' units.
 */
public final class TargetScaling implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] mean;
  private final double[] std;

  /**
   * @param mean per-target mean μ
   * @param std per-target std σ, each finite and {@code > 0}
   */
  public TargetScaling(double[] mean, double[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("target mean has " + mean.length + " values, std "
          + std.length);
    }
    for (int k = 0; k < std.length; k++) {
      if (!(std[k] > 0) || !Double.isFinite(std[k]) || !Double.isFinite(mean[k])) {
        throw new IllegalArgumentException("target " + k + ": mean " + mean[k] + ", std "
            + std[k] + " (the std must be finite and > 0)");
      }
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  public int numTargets() {
    return mean.length;
  }

  /** μ per target (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** σ per target (a copy). */
  public double[] std() {
    return std.clone();
  }

  /** σ of target {@code k}. */
  public double std(int k) {
    return std[k];
  }

  /** {@code y = σ_k·z + μ_k}: the standardised value {@code z} of target k in its own units. */
  public double original(int k, double z) {
    return std[k] * z + mean[k];
  }

  /** How the loader writes targets, {@code (y − μ)/σ} in double, then rounded to the dtype. */
  Standardization standardization() {
    return Standardization.of(mean, std);
  }

  /**
   * The parameters of {@code mlp} (flat layout) with μ and σ folded into the last layer, rounded
   * to {@code dtype}: a network that predicts y from one that predicts z. A copy.
   */
  public double[] fold(MLP mlp, double[] params, Dtype dtype) {
    double[] p = lastLayerAffine(mlp, params, std, mean);
    dtype.roundInPlace(p);
    return p;
  }

  /**
   * The inverse of {@link #fold}: {@code W_k = W'_k/σ_k}, {@code b_k = (b'_k − μ_k)/σ_k}, so
   * that training starts from the network {@code params} describe in the targets' units. A copy,
   * not rounded.
   */
  public double[] unfold(MLP mlp, double[] params) {
    double[] scale = new double[std.length];
    double[] shift = new double[std.length];
    for (int k = 0; k < std.length; k++) {
      scale[k] = 1 / std[k];
      shift[k] = -mean[k] / std[k];
    }
    return lastLayerAffine(mlp, params, scale, shift);
  }

  /** A copy of {@code params} with output k of the last layer mapped to {@code a_k·o + c_k}. */
  private static double[] lastLayerAffine(MLP mlp, double[] params, double[] a, double[] c) {
    if (mlp.numOutputs() != a.length) {
      throw new IllegalArgumentException("the network " + mlp + " has " + mlp.numOutputs()
          + " outputs, the target scaling " + a.length + " targets");
    }
    double[] p = params.clone();
    int last = mlp.numLayers() - 1;
    int in = mlp.size(last);
    int w0 = mlp.weightOffset(last);
    int b0 = mlp.biasOffset(last);
    for (int k = 0; k < a.length; k++) {
      for (int j = 0; j < in; j++) {
        p[w0 + k * in + j] *= a[k];
      }
      p[b0 + k] = a[k] * p[b0 + k] + c[k];
    }
    return p;
  }

  @Override
  public String toString() {
    return "TargetScaling{mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "}";
  }
}
