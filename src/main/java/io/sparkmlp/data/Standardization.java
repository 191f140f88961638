package io.sparkmlp.data;

import java.io.Serializable;

/**
 * How features are standardised with the training statistics, in both layouts, in one place:
 * the loader's blocks and the Spark ML models' scoring batches use it, so the numbers a model
 * sees at fit and at transform time are produced by the same arithmetic.
 *
 * <ul>
 *   <li>dense: {@code x' = (x − μ)/σ} in double, then rounded to the dtype;
 *   <li>sparse: the stored value is {@code x/σ} (zero stays zero) and the rows carry the centre
 *       {@code c = μ/σ}, which the first layer folds in ({@link io.sparkmlp.nn.SparseRows}).
 * </ul>
 * Without statistics ({@link #NONE}) every value passes unchanged and there is no centre.
 */
public final class Standardization implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No standardisation. */
  public static final Standardization NONE = new Standardization(null, null);

  private final double[] mean;
  private final double[] std;
  private final double[] center;

  private Standardization(double[] mean, double[] std) {
    this.mean = mean;
    this.std = std;
    if (mean == null) {
      center = null;
    } else {
      center = new double[mean.length];
      for (int j = 0; j < mean.length; j++) {
        center[j] = mean[j] / std[j];
      }
    }
  }

  /** Standardisation with per-feature {@code mean} and {@code std}; {@link #NONE} when null. */
  public static Standardization of(double[] mean, double[] std) {
    return mean == null ? NONE : new Standardization(mean, std);
  }

  /** Writes dense {@code row} standardised from {@code at} into whichever array is non-null. */
  public void putDense(double[] row, int at, float[] x32, double[] x64) {
    for (int j = 0; j < row.length; j++) {
      double v = row[j];
      if (mean != null) {
        v = (v - mean[j]) / std[j];
      }
      if (x32 != null) {
        x32[at + j] = (float) v;
      } else {
        x64[at + j] = v;
      }
    }
  }

  /** The stored sparse value of feature {@code j} with raw value {@code v}: {@code v/σ_j}. */
  public double sparseValue(int j, double v) {
    return std != null ? v / std[j] : v;
  }

  /** The centre {@code μ/σ} of standardised sparse rows, or null. */
  public double[] center() {
    return center;
  }
}
