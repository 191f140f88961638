package io.sparkmlp.nn;

import breeze.generic.UFunc;
import breeze.linalg.DenseMatrix;
import breeze.linalg.DenseMatrix$mcD$sp;
import breeze.linalg.operators.HasOps$;
import breeze.linalg.operators.OpMulMatrix$;
import breeze.linalg.support.CanTranspose;

/**
 * A second, independent forward and backward pass of an {@link MLP}, written plainly from the
 * textbook formulas in Breeze's dense matrices (as Spark brings it), in double throughout, for
 * tests only: the oracle the kernels are checked against.
 * <pre>
 *   Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ          A_l = σ(Z_l)         (A_0 = X, no σ on the last layer)
 *   Δ_L = softmax(Z_L) − onehot(y)       or 2 (Z_L − T)         loss Σ logsumexp − z_y, or Σ (z − t)²
 *   dW_l = Δ_lᵀ A_{l−1}     db_l = Σ_rows Δ_l     Δ_{l−1} = (Δ_l W_l) ⊙ σ'(Z_{l−1})
 * </pre>
 * Nothing is shared with the kernels but the flat parameter layout ({@link MLP#weightOffset},
 * {@link MLP#biasOffset}) and {@link SpecialFunctions#erf}: no chunks, no BLAS flags worked
 * out by hand (Breeze picks them), no sparse products (sparse input is densified first), no
 * rounding, and the activations and their derivatives are written again here.
 *
 * <p>From Java, Breeze's operators are its methods ({@code $times}, {@code t}) with the
 * implicit instances Scala would find passed explicitly; they live in {@link HasOps$}.
 */
final class BreezeReference {
  private static final UFunc.UImpl2<OpMulMatrix$, DenseMatrix<Object>, DenseMatrix<Object>,
      DenseMatrix<Object>> MULTIPLY = HasOps$.MODULE$.impl_OpMulMatrix_DMD_DMD_eq_DMD();
  private static final CanTranspose<DenseMatrix<Object>, DenseMatrix<Object>> TRANSPOSE =
      HasOps$.MODULE$.canTranspose_DM();

  /** Summed loss, summed gradient (flat layout) and outputs (rows, k) of a pass. */
  record Pass(double loss, double[] gradient, DenseMatrix<Object> outputs) {}

  private BreezeReference() {}

  /**
   * The pass over the rows of {@code x} (rows, n) with {@code labels} (cross-entropy) or
   * {@code targets} (rows, k) (MSE).
   */
  static Pass run(MLP mlp, double[] params, DenseMatrix<Object> x, int[] labels,
      DenseMatrix<Object> targets) {
    int layers = mlp.numLayers();
    DenseMatrix<Object>[] z = newArray(layers);
    DenseMatrix<Object>[] a = newArray(layers + 1);
    a[0] = x;
    for (int l = 0; l < layers; l++) {
      DenseMatrix<Object> zl = times(a[l], transpose(weight(mlp, params, l)));
      addToRows(zl, bias(mlp, params, l));
      z[l] = zl;
      a[l + 1] = l < layers - 1 ? map(zl, mlp.activation(), false) : zl;
    }
    DenseMatrix<Object> out = z[layers - 1];
    DenseMatrix<Object> delta = matrix(out.rows(), out.cols());
    double loss = 0;
    for (int r = 0; r < out.rows(); r++) {
      if (mlp.loss() == Loss.CROSS_ENTROPY) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < out.cols(); j++) {
          max = Math.max(max, get(out, r, j));
        }
        double sum = 0;
        for (int j = 0; j < out.cols(); j++) {
          sum += Math.exp(get(out, r, j) - max);
        }
        double logSumExp = max + Math.log(sum);
        loss += logSumExp - get(out, r, labels[r]);
        for (int j = 0; j < out.cols(); j++) {
          double p = Math.exp(get(out, r, j) - logSumExp);
          delta.update$mcD$sp(r, j, j == labels[r] ? p - 1 : p);
        }
      } else {
        for (int j = 0; j < out.cols(); j++) {
          double d = get(out, r, j) - get(targets, r, j);
          loss += d * d;
          delta.update$mcD$sp(r, j, 2 * d);
        }
      }
    }
    double[] grad = new double[mlp.numParameters()];
    for (int l = layers - 1; l >= 0; l--) {
      DenseMatrix<Object> dW = times(transpose(delta), a[l]);
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < n; j++) {
          grad[mlp.weightOffset(l) + i * n + j] = get(dW, i, j);
        }
        double db = 0;
        for (int r = 0; r < delta.rows(); r++) {
          db += get(delta, r, i);
        }
        grad[mlp.biasOffset(l) + i] = db;
      }
      if (l > 0) {
        DenseMatrix<Object> back = times(delta, weight(mlp, params, l));
        DenseMatrix<Object> slope = map(z[l - 1], mlp.activation(), true);
        for (int r = 0; r < back.rows(); r++) {
          for (int j = 0; j < back.cols(); j++) {
            back.update$mcD$sp(r, j, get(back, r, j) * get(slope, r, j));
          }
        }
        delta = back;
      }
    }
    return new Pass(loss, grad, out);
  }

  /** σ(z), or σ'(z) when {@code derivative}, written out from the definitions. */
  static double activation(Activation act, double z, boolean derivative) {
    switch (act) {
      case RELU:
        return derivative ? (z > 0 ? 1 : 0) : Math.max(z, 0);
      case LEAKY_RELU:
        return derivative ? (z > 0 ? 1 : 0.01) : (z > 0 ? z : 0.01 * z);
      case SIGMOID: {
        double s = 1 / (1 + Math.exp(-z));
        return derivative ? s * (1 - s) : s;
      }
      case TANH: {
        double t = Math.tanh(z);
        return derivative ? 1 - t * t : t;
      }
      case GELU: {
        double cdf = 0.5 * (1 + SpecialFunctions.erf(z / Math.sqrt(2)));
        return derivative ? cdf + z * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) : z * cdf;
      }
      case IDENTITY:
        return derivative ? 1 : z;
      default:
        throw new AssertionError(act);
    }
  }

  /** W_l (h, n) from the flat parameters, row i = output unit i (PyTorch's layout). */
  static DenseMatrix<Object> weight(MLP mlp, double[] params, int l) {
    int n = mlp.size(l);
    int h = mlp.size(l + 1);
    DenseMatrix<Object> w = matrix(h, n);
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < n; j++) {
        w.update$mcD$sp(i, j, params[mlp.weightOffset(l) + i * n + j]);
      }
    }
    return w;
  }

  private static double[] bias(MLP mlp, double[] params, int l) {
    double[] b = new double[mlp.size(l + 1)];
    System.arraycopy(params, mlp.biasOffset(l), b, 0, b.length);
    return b;
  }

  private static void addToRows(DenseMatrix<Object> m, double[] v) {
    for (int r = 0; r < m.rows(); r++) {
      for (int j = 0; j < m.cols(); j++) {
        m.update$mcD$sp(r, j, get(m, r, j) + v[j]);
      }
    }
  }

  private static DenseMatrix<Object> map(DenseMatrix<Object> m, Activation act, boolean slope) {
    DenseMatrix<Object> out = matrix(m.rows(), m.cols());
    for (int r = 0; r < m.rows(); r++) {
      for (int j = 0; j < m.cols(); j++) {
        out.update$mcD$sp(r, j, activation(act, get(m, r, j), slope));
      }
    }
    return out;
  }

  /** A zero (rows, cols) matrix. */
  static DenseMatrix<Object> matrix(int rows, int cols) {
    return new DenseMatrix$mcD$sp(rows, cols, new double[rows * cols]);
  }

  static double get(DenseMatrix<Object> m, int r, int c) {
    return m.apply$mcD$sp(r, c);
  }

  private static DenseMatrix<Object> times(DenseMatrix<Object> a, DenseMatrix<Object> b) {
    return a.$times(b, MULTIPLY);
  }

  private static DenseMatrix<Object> transpose(DenseMatrix<Object> m) {
    return m.t(TRANSPOSE);
  }

  @SuppressWarnings("unchecked")
  private static DenseMatrix<Object>[] newArray(int n) {
    return (DenseMatrix<Object>[]) new DenseMatrix<?>[n];
  }
}
