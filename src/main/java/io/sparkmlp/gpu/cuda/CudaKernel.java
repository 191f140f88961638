package io.sparkmlp.gpu.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import io.sparkmlp.gpu.GpuKernel;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Softmax;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.JCuda;

/**
 * The forward and backward pass of {@code Float32Kernel}/{@code Float64Kernel} with the
 * matrix products on a GPU (cuBLAS sgemm/dgemm, same shapes and transposition flags: a
 * row-major (r, c) matrix is its own column-major transpose), in chunks of
 * {@code chunkRows} rows.
 *
 * <p>The GEMM operands stay on the device: weights (leased from {@link DeviceWeights}, one
 * copy per step per JVM), the chunk's inputs, the activations of every layer (kept for the
 * backward pass) and the weight-gradient accumulator, which is copied back once per call.
 * The element-wise parts (bias, activation and its derivative, softmax cross-entropy and MSE
 * deltas, bias-gradient column sums) run on the host, on copies of Z and Δ that travel each
 * way once per layer, with the CPU kernels' {@link Activation} code. That costs PCIe traffic
 * proportional to the activations (not the weights) and keeps one definition of the maths;
 * device-side element-wise kernels would remove it. Device buffers are allocated once and
 * reused by every step. Not thread-safe: one kernel per partition, like the CPU kernels.
 */
public final class CudaKernel implements GpuKernel {
  private final MLP mlp;
  private final Dtype dtype;
  private final int chunkRows;
  private final int device;
  private final DeviceMemory memory;
  private final cublasHandle handle = new cublasHandle();
  private final Pointer dX;
  private final Pointer dGrad;
  private final Pointer[] dZ;
  private final Pointer[] dA;
  private final Pointer[] dDelta;
  private final double[][] z;
  private final double[][] a;
  private final double[][] delta;
  private final double[] biasGrad;
  private final double[] weightGrad;
  private boolean closed;

  public CudaKernel(MLP mlp, Dtype dtype, int chunkRows, int device) {
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
    }
    this.mlp = mlp;
    this.dtype = dtype;
    this.chunkRows = chunkRows;
    this.device = device;
    JCuda.setExceptionsEnabled(true);
    JCublas2.setExceptionsEnabled(true);
    JCuda.cudaSetDevice(device);
    JCublas2.cublasCreate(handle);
    memory = new DeviceMemory(dtype);
    int layers = mlp.numLayers();
    dX = memory.alloc((long) chunkRows * mlp.numInputs());
    dGrad = memory.alloc(mlp.numParameters());
    dZ = new Pointer[layers];
    dA = new Pointer[layers];
    dDelta = new Pointer[layers];
    z = new double[layers][];
    a = new double[layers][];
    delta = new double[layers][];
    for (int l = 0; l < layers; l++) {
      int size = chunkRows * mlp.size(l + 1);
      dZ[l] = memory.alloc(size);
      dDelta[l] = memory.alloc(size);
      dA[l] = l < layers - 1 ? memory.alloc(size) : null;
      z[l] = new double[size];
      delta[l] = new double[size];
      a[l] = l < layers - 1 ? new double[size] : null;
    }
    biasGrad = new double[mlp.numParameters()];
    weightGrad = new double[mlp.numParameters()];
  }

  @Override
  public synchronized double forwardBackward(String weightsKey, Object params, Object x,
      int row0, int m, int[] labels, Object targets, Object grad) {
    if (closed) {
      throw new IllegalStateException("the CUDA kernel was closed");
    }
    JCuda.cudaSetDevice(device);
    DeviceWeights weights = DeviceWeights.of(device);
    Pointer w = weights.acquire(weightsKey, params, dtype, mlp.numParameters());
    try {
      memory.clear(dGrad, mlp.numParameters());
      Arrays.fill(biasGrad, 0.0);
      double loss = 0.0;
      for (int start = row0; start < row0 + m; start += chunkRows) {
        int rows = Math.min(chunkRows, row0 + m - start);
        forwardChunk(params, w, x, start, rows);
        loss += outputDelta(labels, targets, start, rows);
        backwardChunk(w, rows);
      }
      memory.download(dGrad, mlp.numParameters(), weightGrad);
      addInto(grad);
      return loss;
    } finally {
      weights.release();
    }
  }

  /** Z_l = A_{l−1}·W_lᵀ + 1·b_lᵀ; A_l = σ(Z_l) for hidden layers. */
  private void forwardChunk(Object params, Pointer w, Object x, int row0, int rows) {
    Activation act = mlp.activation();
    int n0 = mlp.numInputs();
    DeviceMemory.uploadHost(x, row0 * n0, rows * n0, dX);
    Pointer in = dX;
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      double[] zl = z[l];
      int b0 = mlp.biasOffset(l);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < h; j++) {
          zl[r * h + j] = value(params, b0 + j);
        }
      }
      memory.upload(zl, rows * h, dZ[l]);
      // Zᵀ (h, rows) += W (h, n) · Xᵀ (n, rows)
      memory.gemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, h, rows, n, memory.at(w, mlp.weightOffset(l)),
          n, in, n, true, dZ[l], h);
      memory.download(dZ[l], rows * h, zl);
      if (l < mlp.numLayers() - 1) {
        double[] al = a[l];
        for (int i = 0; i < rows * h; i++) {
          al[i] = memory.round(act.apply(zl[i]));
        }
        memory.upload(al, rows * h, dA[l]);
        in = dA[l];
      }
    }
  }

  /** Writes Δᴸ into delta[L−1] and returns the summed loss of the chunk (as the CPU kernels). */
  private double outputDelta(int[] labels, Object targets, int row0, int rows) {
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
          dl[o + j] = memory.round(Math.exp(zl[o + j] - logSumExp));
        }
        dl[o + y] = memory.round(dl[o + y] - 1.0);
      }
    } else {
      int t0 = row0 * k;
      for (int i = 0; i < rows * k; i++) {
        double d = zl[i] - value(targets, t0 + i);
        loss += d * d;
        dl[i] = memory.round(2.0 * d);
      }
    }
    return loss;
  }

  /** dW_l += Δ_lᵀ·A_{l−1} (device), db_l += Σ_rows Δ_l (host), Δ_{l−1} = Δ_l·W_l ⊙ σ'(Z_{l−1}). */
  private void backwardChunk(Pointer w, int rows) {
    Activation act = mlp.activation();
    for (int l = mlp.numLayers() - 1; l >= 0; l--) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      Pointer in = l == 0 ? dX : dA[l - 1];
      double[] dl = delta[l];
      memory.upload(dl, rows * h, dDelta[l]);
      // dWᵀ (n, h) += Xᵀ (n, rows) · Δ (rows, h)
      memory.gemm(handle, CUBLAS_OP_N, CUBLAS_OP_T, n, h, rows, in, n, dDelta[l], h, true,
          memory.at(dGrad, mlp.weightOffset(l)), n);
      int b0 = mlp.biasOffset(l);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < h; j++) {
          biasGrad[b0 + j] += dl[r * h + j];
        }
      }
      if (l > 0) {
        // Δ_{l−1}ᵀ (n, rows) = Wᵀ (n, h) · Δᵀ (h, rows)
        memory.gemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, rows, h,
            memory.at(w, mlp.weightOffset(l)), n, dDelta[l], h, false, dDelta[l - 1], n);
        double[] prev = delta[l - 1];
        memory.download(dDelta[l - 1], rows * n, prev);
        double[] zp = z[l - 1];
        double[] ap = a[l - 1];
        for (int i = 0; i < rows * n; i++) {
          prev[i] = memory.round(prev[i] * act.derivative(zp[i], ap[i]));
        }
      }
    }
  }

  /** grad += weight gradients (device) + bias gradients (host); each index has one of them. */
  private void addInto(Object grad) {
    if (grad instanceof float[] g) {
      for (int i = 0; i < g.length; i++) {
        g[i] += (float) (weightGrad[i] + biasGrad[i]);
      }
    } else {
      double[] g = (double[]) grad;
      for (int i = 0; i < g.length; i++) {
        g[i] += weightGrad[i] + biasGrad[i];
      }
    }
  }

  private static double value(Object array, int i) {
    return array instanceof float[] f ? f[i] : ((double[]) array)[i];
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    JCuda.cudaSetDevice(device);
    JCuda.cudaFree(dX);
    JCuda.cudaFree(dGrad);
    for (int l = 0; l < mlp.numLayers(); l++) {
      JCuda.cudaFree(dZ[l]);
      JCuda.cudaFree(dDelta[l]);
      if (dA[l] != null) {
        JCuda.cudaFree(dA[l]);
      }
    }
    JCublas2.cublasDestroy(handle);
  }
}
