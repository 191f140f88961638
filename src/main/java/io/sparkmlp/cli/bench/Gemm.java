package io.sparkmlp.cli.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One BLAS matrix product exactly as {@code Float32Kernel}/{@code Float64Kernel} call it for a
 * layer of {@code n} inputs and {@code h} outputs on a chunk of {@code rows} rows (row-major
 * arrays seen as column-major by BLAS): the forward product X·Wᵀ, the weight gradient Δᵀ·X and
 * the input gradient Δ·W (not for the first layer, whose input gradient is never needed).
 */
record Gemm(String op, int layer, String transA, String transB, int m, int n, int k, int lda,
    int ldb, int ldc) {

  /** The kernels' calls for one chunk of {@code rows} rows, in layer order. */
  static List<Gemm> ofChunk(MLP mlp, int rows) {
    List<Gemm> calls = new ArrayList<>();
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      calls.add(new Gemm("X·Wᵀ", l, "T", "N", h, rows, n, n, n, h));
      calls.add(new Gemm("dW", l, "N", "T", n, h, rows, n, h, n));
      if (l > 0) {
        calls.add(new Gemm("dX", l, "N", "N", n, rows, h, n, h, n));
      }
    }
    return calls;
  }

  double flops() {
    return 2.0 * m * n * k;
  }

  String shape() {
    return m + "x" + n + "x" + k;
  }

  /** A reusable operand set for this product in {@code dtype}, filled with small values. */
  Runnable prepare(Dtype dtype, BLAS blas, long seed) {
    int aLen = lda * ("N".equals(transA) ? k : m);
    int bLen = ldb * ("N".equals(transB) ? n : k);
    int cLen = ldc * n;
    SplittableRandom rng = new SplittableRandom(seed);
    if (dtype == Dtype.FLOAT32) {
      float[] a = floats(rng, aLen);
      float[] b = floats(rng, bLen);
      float[] c = new float[cLen];
      return () -> blas.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, ldc);
    }
    double[] a = rng.doubles(aLen, -0.1, 0.1).toArray();
    double[] b = rng.doubles(bLen, -0.1, 0.1).toArray();
    double[] c = new double[cLen];
    return () -> blas.dgemm(transA, transB, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, ldc);
  }

  private static float[] floats(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rng.nextDouble() * 0.2 - 0.1);
    }
    return v;
  }
}
