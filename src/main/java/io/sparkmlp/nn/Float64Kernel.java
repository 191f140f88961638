package io.sparkmlp.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Forward and backward passes of an {@link MLP} in float64 on stacked rows, with BLAS matrix
 * products. Holds the work buffers for up to {@code chunkRows} rows and reuses them for every
 * call; longer row ranges are processed in chunks of that size, accumulating gradients. Not
 * thread-safe: one kernel per task.
 *
 * <p>Shapes for layer l: X is (m, n), W is (h, n), Z and A are (m, h), all row-major. In BLAS's
 * column-major terms a row-major (r, c) matrix is its own transpose, which gives the
 * transposition flags used below.
 */
public final class Float64Kernel {
  private final MLP mlp;
  private final int chunkRows;
  private final BLAS blas;
  /** Pre-activations Z of each layer, (chunkRows, h_l). */
  private final double[][] z;
  /** Activations A = σ(Z) of each hidden layer, (chunkRows, h_l); unused for the last layer. */
  private final double[][] a;
  /** Loss gradients ∂loss/∂Z of each layer, (chunkRows, h_l). */
  private final double[][] delta;

  public Float64Kernel(MLP mlp, int chunkRows) {
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
    }
    this.mlp = mlp;
    this.chunkRows = chunkRows;
    this.blas = BLAS.getInstance();
    int layers = mlp.numLayers();
    z = new double[layers][];
    a = new double[layers][];
    delta = new double[layers][];
    for (int l = 0; l < layers; l++) {
      int h = mlp.size(l + 1);
      z[l] = new double[chunkRows * h];
      delta[l] = new double[chunkRows * h];
      a[l] = l < layers - 1 ? new double[chunkRows * h] : null;
    }
  }

  public MLP mlp() {
    return mlp;
  }

  /**
   * Forward and backward pass over rows {@code [row0, row0 + m)} of {@code x}.
   *
   * @param params parameters in {@link MLP}'s flat layout
   * @param x inputs, row-major (rows, n_input)
   * @param labels class index per row (cross-entropy), else null
   * @param targets targets, row-major (rows, n_output) (MSE), else null
   * @param grad gradient accumulator in the parameter layout: the <b>summed</b> (not averaged)
   *     gradient of the summed loss over these rows is added to it
   * @return the summed loss over these rows (before any division by rows or outputs)
   */
  public double forwardBackward(
      double[] params, double[] x, int row0, int m, int[] labels, double[] targets, double[] grad) {
    double loss = 0.0;
    for (int start = row0; start < row0 + m; start += chunkRows) {
      int rows = Math.min(chunkRows, row0 + m - start);
      forwardChunk(params, x, start, rows);
      loss += outputDelta(labels, targets, start, rows);
      backwardChunk(params, x, start, rows, grad);
    }
    return loss;
  }

  /**
   * Network outputs (logits for cross-entropy, predictions for MSE) of rows
   * {@code [row0, row0 + m)}, written row-major (m, n_output) into {@code out} from
   * {@code outOffset}.
   */
  public void forward(double[] params, double[] x, int row0, int m, double[] out, int outOffset) {
    int nOut = mlp.numOutputs();
    for (int start = row0; start < row0 + m; start += chunkRows) {
      int rows = Math.min(chunkRows, row0 + m - start);
      forwardChunk(params, x, start, rows);
      System.arraycopy(z[mlp.numLayers() - 1], 0, out, outOffset + (start - row0) * nOut, rows * nOut);
    }
  }

  /** Z_l = A_{l−1}·W_lᵀ + 1·b_lᵀ; A_l = σ(Z_l) for hidden layers. */
  private void forwardChunk(double[] params, double[] x, int row0, int rows) {
    Activation act = mlp.activation();
    double[] in = x;
    int inOffset = row0 * mlp.numInputs();
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      double[] zl = z[l];
      int b0 = mlp.biasOffset(l);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(params, b0, zl, r * h, h);
      }
      // Zᵀ (h, rows) += W (h, n) · Xᵀ (n, rows)
      blas.dgemm("T", "N", h, rows, n, 1.0, params, mlp.weightOffset(l), n, in, inOffset, n,
          1.0, zl, 0, h);
      if (l < mlp.numLayers() - 1) {
        double[] al = a[l];
        for (int i = 0; i < rows * h; i++) {
          al[i] = act.apply(zl[i]);
        }
        in = al;
        inOffset = 0;
      }
    }
  }

  /** Writes Δᴸ into delta[L−1] and returns the summed loss of the chunk. */
  private double outputDelta(int[] labels, double[] targets, int row0, int rows) {
    int last = mlp.numLayers() - 1;
    int k = mlp.numOutputs();
    double[] zl = z[last];
    double[] dl = delta[last];
    double loss = 0.0;
    if (mlp.loss() == Loss.CROSS_ENTROPY) {
      for (int r = 0; r < rows; r++) {
        int y = labels[row0 + r];
        if (y < 0 || y >= k) {
          throw new IllegalArgumentException(
              "label " + y + " of row " + (row0 + r) + " is outside [0, " + k + ")");
        }
        int o = r * k;
        double logSumExp = Softmax.logSumExp(zl, o, k);
        loss += logSumExp - zl[o + y];
        for (int j = 0; j < k; j++) {
          dl[o + j] = Math.exp(zl[o + j] - logSumExp);
        }
        dl[o + y] -= 1.0;
      }
    } else {
      int t0 = row0 * k;
      for (int i = 0; i < rows * k; i++) {
        double d = zl[i] - targets[t0 + i];
        loss += d * d;
        dl[i] = 2.0 * d;
      }
    }
    return loss;
  }

  /** dW_l += Δ_lᵀ·A_{l−1}, db_l += Σ_rows Δ_l, Δ_{l−1} = Δ_l·W_l ⊙ σ'(Z_{l−1}). */
  private void backwardChunk(double[] params, double[] x, int row0, int rows, double[] grad) {
    Activation act = mlp.activation();
    for (int l = mlp.numLayers() - 1; l >= 0; l--) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      double[] in = l == 0 ? x : a[l - 1];
      int inOffset = l == 0 ? row0 * n : 0;
      double[] dl = delta[l];
      // dWᵀ (n, h) += Xᵀ (n, rows) · Δ (rows, h)
      blas.dgemm("N", "T", n, h, rows, 1.0, in, inOffset, n, dl, 0, h, 1.0, grad,
          mlp.weightOffset(l), n);
      int b0 = mlp.biasOffset(l);
      for (int r = 0; r < rows; r++) {
        int o = r * h;
        for (int j = 0; j < h; j++) {
          grad[b0 + j] += dl[o + j];
        }
      }
      if (l > 0) {
        double[] prev = delta[l - 1];
        // Δ_{l−1}ᵀ (n, rows) = Wᵀ (n, h) · Δᵀ (h, rows)
        blas.dgemm("N", "N", n, rows, h, 1.0, params, mlp.weightOffset(l), n, dl, 0, h, 0.0,
            prev, 0, n);
        double[] zp = z[l - 1];
        double[] ap = a[l - 1];
        for (int i = 0; i < rows * n; i++) {
          prev[i] *= act.derivative(zp[i], ap[i]);
        }
      }
    }
  }
}
