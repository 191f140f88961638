package io.sparkmlp.nn;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.Golden;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward and backward against PyTorch: logits, mean loss and every gradient of the golden
 * files from {@code src/test/python/make_golden.py}, to 1e-10 relative in float64 and 1e-4 in
 * float32; the sparse goldens (PyTorch's first layer by {@code torch.sparse.mm}) through the
 * CSR input, with the sparse layer's GEMM and axpy methods both.
 */
class PytorchParityTest {
  static Stream<String> cases() {
    return Stream.of("relu_ce", "gelu_ce", "tanh_mse", "sigmoid_mse1", "leaky_relu_ce",
        "identity_mse", "sigmoid_ce", "gelu_mse");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void float64MatchesPytorch(String name) {
    Golden g = Golden.load("nn_" + name + "_f64");
    MLP mlp = g.mlp;
    int rows = Integer.parseInt(g.meta("rows"));
    double[] x = g.tensor("x");
    boolean ce = mlp.loss() == Loss.CROSS_ENTROPY;
    Float64Kernel kernel = new Float64Kernel(mlp, 4);

    double[] logits = new double[rows * mlp.numOutputs()];
    kernel.forward(g.initialParams, x, 0, rows, logits, 0);
    assertClose(g.tensor("logits"), logits, 1e-10, name + " logits");

    double[] grad = new double[mlp.numParameters()];
    double lossSum = kernel.forwardBackward(g.initialParams, x, 0, rows,
        ce ? g.labels() : null, ce ? null : g.tensor("y"), grad);
    double n = mlp.loss().normalizer(rows, mlp.numOutputs());
    assertClose(g.tensor("loss"), new double[] {lossSum / n}, 1e-10, name + " loss");
    for (int i = 0; i < grad.length; i++) {
      grad[i] /= n;
    }
    assertClose(g.flat("grad."), grad, 1e-10, name + " gradient");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void float32MatchesPytorch(String name) {
    Golden g = Golden.load("nn_" + name + "_f32");
    MLP mlp = g.mlp;
    int rows = Integer.parseInt(g.meta("rows"));
    float[] params = toFloat(g.initialParams);
    float[] x = toFloat(g.tensor("x"));
    boolean ce = mlp.loss() == Loss.CROSS_ENTROPY;
    Float32Kernel kernel = new Float32Kernel(mlp, 3);

    float[] logits = new float[rows * mlp.numOutputs()];
    kernel.forward(params, x, 0, rows, logits, 0);
    assertClose(g.tensor("logits"), toDouble(logits), 1e-4, name + " logits");

    float[] grad = new float[mlp.numParameters()];
    double lossSum = kernel.forwardBackward(params, x, 0, rows,
        ce ? g.labels() : null, ce ? null : toFloat(g.tensor("y")), grad);
    double n = mlp.loss().normalizer(rows, mlp.numOutputs());
    assertClose(g.tensor("loss"), new double[] {lossSum / n}, 1e-4, name + " loss");
    double[] mean = toDouble(grad);
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= n;
    }
    assertClose(g.flat("grad."), mean, 1e-4, name + " gradient");
  }

  static Stream<String> weightedCases() {
    return Stream.of("weighted_relu_ce", "weighted_tanh_mse");
  }

  /**
   * Rows with weights against PyTorch's weighted mean ({@code reduction='none'}, then
   * {@code Σ wᵢ ℓᵢ / Σ wᵢ}, per output for MSE): the kernel's weighted sums divided by
   * {@code normalizer(Σ w)}, through the {@link Kernel} interface as training drives it, the
   * rows in place (in chunks of 4) and gathered through a reversed order, dense and as CSR.
   * Weights 2, 0, 1, 0.5 and fractional ones; 1e-10 in float64, 1e-4 in float32.
   */
  @ParameterizedTest
  @MethodSource("weightedCases")
  void weightedMeanMatchesPytorch(String name) {
    for (String tag : new String[] {"f64", "f32"}) {
      Golden g = Golden.load("nn_" + name + "_" + tag);
      MLP mlp = g.mlp;
      int rows = Integer.parseInt(g.meta("rows"));
      boolean f64 = tag.equals("f64");
      boolean ce = mlp.loss() == Loss.CROSS_ENTROPY;
      double[] w = g.tensor("w");
      double[] x = g.tensor("x");
      double[] y = ce ? null : g.tensor("y");
      int[] labels = ce ? g.labels() : null;
      double sumW = 0;
      for (double v : w) {
        sumW += v;
      }
      double norm = mlp.loss().normalizer(sumW, mlp.numOutputs());
      int[] reversed = new int[rows];
      for (int i = 0; i < rows; i++) {
        reversed[i] = rows - 1 - i;
      }
      Examples dense = f64 ? Examples.of(rows, x, labels, y)
          : Examples.of(rows, toFloat(x), labels, y == null ? null : toFloat(y));
      Examples sparse = Examples.of(f64 ? SparseRows.of64(rows, mlp.numInputs(), csrPtr(x, rows),
          csrIdx(x, rows), x, null) : SparseRows.of32(rows, mlp.numInputs(), csrPtr(x, rows),
          csrIdx(x, rows), toFloat(x), null), labels, y);
      for (Examples data : new Examples[] {dense, sparse}) {
        for (int[] order : new int[][] {null, reversed}) {
          String what = name + " " + tag + (data == dense ? " dense" : " sparse")
              + (order == null ? " in place" : " reversed");
          Kernel kernel = Kernel.cpu(mlp, f64 ? Dtype.FLOAT64 : Dtype.FLOAT32, 4);
          kernel.loadWeights(g.initialParams);
          double lossSum = kernel.forwardBackward(Examples.weighted(data, w), order, 0, rows);
          double tol = f64 ? 1e-10 : 1e-4;
          assertClose(g.tensor("loss"), new double[] {lossSum / norm}, tol, what + " loss");
          double[] grad = io.sparkmlp.testing.Gradients.widen(kernel.gradient());
          for (int i = 0; i < grad.length; i++) {
            grad[i] /= norm;
          }
          assertClose(g.flat("grad."), grad, tol, what + " gradient");
        }
      }
    }
  }

  /** CSR row pointers of a dense (rows, n) matrix without zeros: n entries per row. */
  private static int[] csrPtr(double[] x, int rows) {
    int n = x.length / rows;
    int[] ptr = new int[rows + 1];
    for (int r = 0; r <= rows; r++) {
      ptr[r] = r * n;
    }
    return ptr;
  }

  private static int[] csrIdx(double[] x, int rows) {
    int n = x.length / rows;
    int[] idx = new int[x.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i % n;
    }
    return idx;
  }

  static Stream<String> sparseCases() {
    return Stream.of("sparse_relu_ce", "sparse_tanh_mse");
  }

  @ParameterizedTest
  @MethodSource("sparseCases")
  void sparseInputMatchesPytorch(String name) {
    for (String tag : new String[] {"f64", "f32"}) {
      Golden g = Golden.load("nn_" + name + "_" + tag);
      MLP mlp = g.mlp;
      int rows = Integer.parseInt(g.meta("rows"));
      double[] x = g.tensor("x");
      int n = mlp.numInputs();
      int[] ptr = new int[rows + 1];
      int[] idx = new int[x.length];
      double[] val = new double[x.length];
      int nnz = 0;
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < n; j++) {
          if (x[r * n + j] != 0.0) {
            idx[nnz] = j;
            val[nnz++] = x[r * n + j];
          }
        }
        ptr[r + 1] = nnz;
      }
      assertTrue(ptr[2] == ptr[1] && ptr[3] - ptr[2] == n, "an empty row and a full row");
      boolean ce = mlp.loss() == Loss.CROSS_ENTROPY;
      double norm = mlp.loss().normalizer(rows, mlp.numOutputs());
      for (double gemmAbove : new double[] {0.0, Double.POSITIVE_INFINITY}) {
        String what = name + " " + tag + (gemmAbove == 0 ? " gemm" : " axpy");
        double[] logits = new double[rows * mlp.numOutputs()];
        double[] grad;
        double lossSum;
        double tol;
        if (tag.equals("f64")) {
          tol = 1e-10;
          SparseRows s = SparseRows.of64(rows, n, ptr, idx, val, null);
          Float64Kernel k = new Float64Kernel(mlp, 8, gemmAbove);
          k.forward(g.initialParams, s, 0, rows, logits, 0);
          grad = new double[mlp.numParameters()];
          lossSum = k.forwardBackward(g.initialParams, s, 0, rows, ce ? g.labels() : null,
              ce ? null : g.tensor("y"), grad);
        } else {
          tol = 1e-4;
          SparseRows s = SparseRows.of32(rows, n, ptr, idx, toFloat(Arrays.copyOf(val, nnz)),
              null);
          Float32Kernel k = new Float32Kernel(mlp, 8, gemmAbove);
          float[] params = toFloat(g.initialParams);
          float[] out = new float[logits.length];
          k.forward(params, s, 0, rows, out, 0);
          logits = toDouble(out);
          float[] g32 = new float[mlp.numParameters()];
          lossSum = k.forwardBackward(params, s, 0, rows, ce ? g.labels() : null,
              ce ? null : toFloat(g.tensor("y")), g32);
          grad = toDouble(g32);
        }
        assertClose(g.tensor("logits"), logits, tol, what + " logits");
        assertClose(g.tensor("loss"), new double[] {lossSum / norm}, tol, what + " loss");
        for (int i = 0; i < grad.length; i++) {
          grad[i] /= norm;
        }
        assertClose(g.flat("grad."), grad, tol, what + " gradient");
      }
    }
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
