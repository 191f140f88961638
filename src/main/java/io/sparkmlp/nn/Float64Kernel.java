package io.sparkmlp.nn;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkmlp.blas.Blas;

/**
 * Forward and backward passes of an {@link MLP} in float64 on stacked rows, with BLAS matrix
 * products. Holds the work buffers for up to {@code chunkRows} rows and reuses them for every
 * call; longer row ranges are processed in chunks of that size, accumulating gradients. Not
 * thread-safe: one kernel per task.
 *
 * <p>Shapes for layer l: X is (m, n), W is (h, n), Z and A are (m, h), all row-major. In BLAS's
 * column-major terms a row-major (r, c) matrix is its own transpose, which gives the
 * transposition flags used below.
 *
 * <p>The input may also be sparse ({@link SparseRows}, CSR, possibly centred): then the first
 * layer's two products run in {@link SparseFirstLayer} and the centre is folded into the first
 * bias and weight gradient; every later layer is the same.
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
  /** The sparse first-layer products, created on the first sparse call. */
  private SparseFirstLayer sparse;
  private final double sparseGemmAbove;
  /** Centred sparse input: the first layer's bias b − W·c of the current call, (h_1). */
  private final double[] foldedBias;
  /** Centred sparse input: Σ Δ_1 over the rows of the current call, (h_1). */
  private final double[] callBiasGrad;

  public Float64Kernel(MLP mlp, int chunkRows) {
    this(mlp, chunkRows, SparseFirstLayer.GEMM_ABOVE);
  }

  /** With the sparse first layer's GEMM threshold given ({@link SparseFirstLayer}; tests). */
  Float64Kernel(MLP mlp, int chunkRows, double sparseGemmAbove) {
    this.sparseGemmAbove = sparseGemmAbove;
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
    }
    this.mlp = mlp;
    this.chunkRows = chunkRows;
    this.blas = Blas.get();
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
    foldedBias = new double[mlp.size(1)];
    callBiasGrad = new double[mlp.size(1)];
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
    return forwardBackward(params, x, null, row0, m, labels, targets, grad);
  }

  /**
   * The same pass over rows {@code [row0, row0 + m)} of sparse input {@code x} (CSR, possibly
   * centred): the first layer's products run sparse × dense ({@link SparseFirstLayer}), every
   * later layer as for dense input.
   */
  public double forwardBackward(
      double[] params, SparseRows x, int row0, int m, int[] labels, double[] targets, double[] grad) {
    return forwardBackward(params, null, x, row0, m, labels, targets, grad);
  }

  private double forwardBackward(double[] params, double[] x, SparseRows sx, int row0, int m,
      int[] labels, double[] targets, double[] grad) {
    double[] center = beginCall(params, sx);
    double loss = 0.0;
    for (int start = row0; start < row0 + m; start += chunkRows) {
      int rows = Math.min(chunkRows, row0 + m - start);
      forwardChunk(params, x, sx, center, start, rows);
      loss += outputDelta(labels, targets, start, rows);
      backwardChunk(params, x, sx, center, start, rows, grad);
    }
    if (center != null) {
      // dW_1 −= (Σ Δ_1) cᵀ, i.e. dW_1ᵀ (n, h) −= c (n) · (ΣΔ_1)ᵀ (h)
      blas.dger(mlp.numInputs(), mlp.size(1), -1.0, center, 0, 1, callBiasGrad, 0, 1, grad,
          mlp.weightOffset(0), mlp.numInputs());
    }
    return loss;
  }

  /**
   * Per-call set-up for sparse input: checks the width, and for centred input computes the
   * folded bias b − W·c and clears the call's bias-gradient sum. Returns the centre in this
   * kernel's dtype, or null.
   */
  private double[] beginCall(double[] params, SparseRows sx) {
    if (sx == null) {
      return null;
    }
    if (sx.numCols() != mlp.numInputs() || sx.values64() == null) {
      throw new IllegalArgumentException("sparse input of " + sx.numCols() + " columns in "
          + (sx.values32() != null ? "float32" : "float64") + " given to a float64 kernel for "
          + mlp.numInputs() + " inputs");
    }
    if (sparse == null) {
      sparse = new SparseFirstLayer(mlp.numInputs(), mlp.size(1), sparseGemmAbove);
    }
    if (sx.center() == null) {
      return null;
    }
    double[] c = sx.center();
    int n = mlp.numInputs();
    int h = mlp.size(1);
    System.arraycopy(params, mlp.biasOffset(0), foldedBias, 0, h);
    // b − W c: W (h, n) row-major is (n, h) column-major, so W·c is its transpose times c
    blas.dgemv("T", n, h, -1.0, params, mlp.weightOffset(0), n, c, 0, 1, 1.0, foldedBias, 0, 1);
    java.util.Arrays.fill(callBiasGrad, 0.0);
    return c;
  }

  /**
   * Network outputs (logits for cross-entropy, predictions for MSE) of rows
   * {@code [row0, row0 + m)}, written row-major (m, n_output) into {@code out} from
   * {@code outOffset}.
   */
  public void forward(double[] params, double[] x, int row0, int m, double[] out, int outOffset) {
    forward(params, x, null, row0, m, out, outOffset);
  }

  /** The same outputs for rows of sparse input {@code x} (CSR, possibly centred). */
  public void forward(double[] params, SparseRows x, int row0, int m, double[] out, int outOffset) {
    forward(params, null, x, row0, m, out, outOffset);
  }

  private void forward(double[] params, double[] x, SparseRows sx, int row0, int m, double[] out,
      int outOffset) {
    double[] center = beginCall(params, sx);
    int nOut = mlp.numOutputs();
    for (int start = row0; start < row0 + m; start += chunkRows) {
      int rows = Math.min(chunkRows, row0 + m - start);
      forwardChunk(params, x, sx, center, start, rows);
      System.arraycopy(z[mlp.numLayers() - 1], 0, out, outOffset + (start - row0) * nOut, rows * nOut);
    }
  }

  /** Z_l = A_{l−1}·W_lᵀ + 1·b_lᵀ; A_l = σ(Z_l) for hidden layers. */
  private void forwardChunk(double[] params, double[] x, SparseRows sx, double[] center, int row0,
      int rows) {
    Activation act = mlp.activation();
    double[] in = x;
    int inOffset = row0 * mlp.numInputs();
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      double[] zl = z[l];
      double[] bias = l == 0 && center != null ? foldedBias : params;
      int b0 = l == 0 && center != null ? 0 : mlp.biasOffset(l);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(bias, b0, zl, r * h, h);
      }
      if (l == 0 && sx != null) {
        // Z (rows, h) += X (rows, n, CSR) · Wᵀ (n, h)
        sparse.prepare(sx, row0, rows);
        sparse.forward(sx, row0, rows, params, mlp.weightOffset(0), zl);
      } else {
        // Zᵀ (h, rows) += W (h, n) · Xᵀ (n, rows)
        blas.dgemm("T", "N", h, rows, n, 1.0, params, mlp.weightOffset(l), n, in, inOffset, n,
            1.0, zl, 0, h);
      }
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
  private void backwardChunk(double[] params, double[] x, SparseRows sx, double[] center, int row0,
      int rows, double[] grad) {
    Activation act = mlp.activation();
    for (int l = mlp.numLayers() - 1; l >= 0; l--) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      double[] in = l == 0 ? x : a[l - 1];
      int inOffset = l == 0 ? row0 * n : 0;
      double[] dl = delta[l];
      if (l == 0 && sx != null) {
        // dW (h, n) += Δᵀ (h, rows) · X (rows, n, CSR); the chunk was prepared by the forward
        sparse.weightGrad(sx, row0, rows, dl, grad, mlp.weightOffset(0));
      } else {
        // dWᵀ (n, h) += Xᵀ (n, rows) · Δ (rows, h)
        blas.dgemm("N", "T", n, h, rows, 1.0, in, inOffset, n, dl, 0, h, 1.0, grad,
            mlp.weightOffset(l), n);
      }
      int b0 = mlp.biasOffset(l);
      double[] callSum = l == 0 && center != null ? callBiasGrad : null;
      for (int r = 0; r < rows; r++) {
        int o = r * h;
        for (int j = 0; j < h; j++) {
          grad[b0 + j] += dl[o + j];
        }
        if (callSum != null) {
          for (int j = 0; j < h; j++) {
            callSum[j] += dl[o + j];
          }
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
