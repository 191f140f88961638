package io.sparkmlp.nn;

import static io.sparkmlp.nn.BreezeReference.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import breeze.linalg.DenseMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels against an independent oracle ({@link BreezeReference}: the textbook passes in
 * Breeze's dense matrices, in double) on randomly drawn cases: every activation × loss × dtype
 * × input (dense, sparse CSR, sparse centred), each on five shapes (a batch of one row, width
 * one everywhere, a deep net, a wide net, and a free draw), with random chunk sizes, sparse
 * densities (empty rows included), sparse method (GEMM or axpy), and rows taken through a
 * shuffled order or in place, through the {@link Kernel} interface as training drives it.
 * Loss, every gradient entry and the outputs must agree.
 *
 * <p>Tolerances: the oracle computes in double on exactly the values the kernel sees (float32
 * inputs and weights are rounded first), so float64 differs only in summation order (1e-10
 * relative, 1e-12 on the loss) and float32 by its rounding of sums, activations and deltas
 * (2e-3, and 1e-5 on the loss, which is summed in double). Each element is compared relative to
 * the larger of its own size and 1e-3 (float64) or 2e-2 (float32) of the largest entry of its
 * tensor, where cancellation leaves only absolute accuracy. The largest errors seen were 6e-13
 * (float64) and 3e-4 (float32, a weight gradient), so the bounds leave a margin of about 7 to
 * 150 for other seeds and BLAS libraries without hiding a wrong formula, a lost row or a
 * mis-gathered one, which are off by far more. Cases are drawn from a fixed seed, so a failure
 * names a case that reruns the same.
 */
class KernelOracleTest {
  private static final long SEED = 20261130L;
  private static final String[] SHAPES = {"batch1", "width1", "deep", "wide", "free"};
  private static final String[] INPUTS = {"dense", "sparse", "centred"};

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    long id = 0;
    for (Activation act : Activation.values()) {
      for (Loss loss : Loss.values()) {
        for (Dtype dtype : Dtype.values()) {
          for (String input : INPUTS) {
            for (String shape : SHAPES) {
              b.add(Arguments.of(act, loss, dtype, input, shape, id++));
            }
          }
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} {4} (case {5})")
  @MethodSource("cases")
  void kernelAgreesWithTheBreezeReference(Activation act, Loss loss, Dtype dtype, String input,
      String shape, long id) {
    SplittableRandom rng = new SplittableRandom(SEED + 1_000_003L * id);
    int[] sizes = sizes(rng, shape, loss);
    int m = shape.equals("batch1") ? 1 : 1 + rng.nextInt(shape.equals("wide") ? 32 : 160);
    int dataRows = m + rng.nextInt(8);
    int n = sizes[0];
    int k = sizes[sizes.length - 1];
    MLP mlp = new MLP(n, Arrays.copyOfRange(sizes, 1, sizes.length - 1), k, act, loss);
    boolean f32 = dtype == Dtype.FLOAT32;
    double[] params = round(mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH,
        rng.nextLong()), f32);
    Case data = Case.draw(rng, input, dataRows, n, k, loss, f32);

    int chunk = new int[] {1, 3, 7, 64, 1024}[rng.nextInt(5)];
    double gemmAbove = new double[] {0, 0.06, Double.POSITIVE_INFINITY}[rng.nextInt(3)];
    Kernel kernel = f32 ? new Float32Kernel(mlp, chunk, gemmAbove)
        : new Float64Kernel(mlp, chunk, gemmAbove);
    int[] order = null;
    int from = rng.nextInt(dataRows - m + 1);
    if (rng.nextBoolean()) {
      order = shuffled(rng, dataRows);
    }
    String what = String.format(
        "%s %s %s %s %s: sizes %s, %d of %d rows (%s), chunk %d, gemm above %s",
        act, loss, dtype, input, shape, Arrays.toString(sizes), m, dataRows,
        order == null ? "in place" : "shuffled", chunk, gemmAbove);

    kernel.loadWeights(kernel.shipWeights(params), null);
    double kernelLoss = kernel.forwardBackward(data.examples, order, from, m);
    double[] kernelGrad = io.sparkmlp.testing.Gradients.widen(kernel.gradient());
    double[] kernelOut = new double[m * k];
    kernel.forward(data.examples, from, m, kernelOut, 0);

    int[] rows = new int[m];
    for (int i = 0; i < m; i++) {
      rows[i] = order == null ? from + i : order[from + i];
    }
    BreezeReference.Pass batch = BreezeReference.run(mlp, params, data.x(rows),
        data.labels(rows), data.targets(rows));
    int[] inPlace = new int[m];
    Arrays.setAll(inPlace, i -> from + i);
    BreezeReference.Pass scored = BreezeReference.run(mlp, params, data.x(inPlace),
        data.labels(inPlace), data.targets(inPlace));

    double rel = f32 ? 2e-3 : 1e-10;
    double floor = f32 ? 2e-2 : 1e-3;
    assertEquals(batch.loss(), kernelLoss, (f32 ? 1e-5 : 1e-12) * Math.max(1, batch.loss()),
        what + ": loss");
    for (int l = 0; l < mlp.numLayers(); l++) {
      int size = mlp.size(l) * mlp.size(l + 1);
      assertClose(batch.gradient(), kernelGrad, mlp.weightOffset(l), size, rel, floor,
          what + ": dW" + (l + 1));
      assertClose(batch.gradient(), kernelGrad, mlp.biasOffset(l), mlp.size(l + 1), rel, floor,
          what + ": db" + (l + 1));
    }
    double[] expectedOut = new double[m * k];
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < k; j++) {
        expectedOut[r * k + j] = get(scored.outputs(), r, j);
      }
    }
    assertClose(expectedOut, kernelOut, 0, expectedOut.length, rel, floor, what + ": outputs");
  }

  /** Layer sizes {@code [n, hidden..., k]} for a shape family. */
  private static int[] sizes(SplittableRandom rng, String shape, Loss loss) {
    int minOut = loss == Loss.CROSS_ENTROPY ? 2 : 1;
    int[] s;
    switch (shape) {
      case "width1":
        s = new int[] {1, 1, 1, minOut};
        break;
      case "deep":
        s = new int[2 + 4 + rng.nextInt(3)];
        for (int i = 0; i < s.length; i++) {
          s[i] = 1 + rng.nextInt(16);
        }
        break;
      case "wide":
        s = new int[] {128 + rng.nextInt(256), 64 + rng.nextInt(128), 2 + rng.nextInt(30)};
        break;
      default:
        s = new int[2 + rng.nextInt(4)];
        for (int i = 0; i < s.length; i++) {
          s[i] = 1 + rng.nextInt(64);
        }
    }
    s[s.length - 1] = Math.max(minOut, s[s.length - 1]);
    return s;
  }

  private static int[] shuffled(SplittableRandom rng, int n) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Values as the kernel of the dtype holds them: rounded to float for float32. */
  private static double[] round(double[] v, boolean f32) {
    if (f32) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) v[i];
      }
    }
    return v;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /**
   * Element-wise within {@code rel} of the larger of |expected| and {@code floor} times the
   * largest |expected| of the range {@code [offset, offset + size)}.
   */
  private static void assertClose(double[] expected, double[] actual, int offset, int size,
      double rel, double floor, String what) {
    double scale = 0;
    for (int i = offset; i < offset + size; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    for (int i = offset; i < offset + size; i++) {
      double tol = rel * Math.max(Math.abs(expected[i]), floor * scale);
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        fail(what + " element " + (i - offset) + ": expected " + expected[i] + ", kernel "
            + actual[i] + " (tolerance " + tol + ")");
      }
    }
  }

  /**
   * A case's rows: the {@link Examples} the kernel reads, and the same values in double (the
   * dense features with any centre subtracted) for the oracle.
   */
  private static final class Case {
    final Examples examples;
    final double[] dense;
    final int n;
    final int[] labels;
    final double[] targets;
    final int k;

    private Case(Examples examples, double[] dense, int n, int[] labels, double[] targets, int k) {
      this.examples = examples;
      this.dense = dense;
      this.n = n;
      this.labels = labels;
      this.targets = targets;
      this.k = k;
    }

    static Case draw(SplittableRandom rng, String input, int rows, int n, int k, Loss loss,
        boolean f32) {
      boolean ce = loss == Loss.CROSS_ENTROPY;
      int[] labels = ce ? rng.ints(rows, 0, k).toArray() : null;
      double[] targets = ce ? null : round(rng.doubles(rows * k, -2, 2).toArray(), f32);
      float[] targets32 = targets == null || !f32 ? null : toFloat(targets);
      double[] targets64 = f32 ? null : targets;
      double[] dense = new double[rows * n];
      if (input.equals("dense")) {
        for (int i = 0; i < dense.length; i++) {
          dense[i] = round(new double[] {rng.nextGaussian()}, f32)[0];
        }
        Examples e = f32 ? new Examples.Held(rows, toFloat(dense), null, null, labels, targets32,
            null) : new Examples.Held(rows, null, dense, null, labels, null, targets64);
        return new Case(e, dense, n, labels, targets, k);
      }
      double density = new double[] {0.0, 0.05, 0.3, 1.0}[rng.nextInt(4)];
      int[] ptr = new int[rows + 1];
      int[] idx = new int[rows * n];
      double[] val = new double[rows * n];
      int nnz = 0;
      for (int r = 0; r < rows; r++) {
        boolean empty = r % 5 == 1;
        for (int j = 0; j < n; j++) {
          if (!empty && rng.nextDouble() < density) {
            idx[nnz] = j;
            val[nnz++] = round(new double[] {rng.nextGaussian()}, f32)[0];
          }
        }
        ptr[r + 1] = nnz;
      }
      double[] center = null;
      if (input.equals("centred")) {
        center = rng.doubles(n, -1, 1).toArray();
      }
      idx = Arrays.copyOf(idx, nnz);
      val = Arrays.copyOf(val, nnz);
      SparseRows s = f32 ? SparseRows.of32(rows, n, ptr, idx, toFloat(val), center)
          : SparseRows.of64(rows, n, ptr, idx, val, center);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < n; j++) {
          // the float32 kernel subtracts the centre as it rounds it
          dense[r * n + j] = center == null ? 0 : -(f32 ? (float) center[j] : center[j]);
        }
        for (int p = ptr[r]; p < ptr[r + 1]; p++) {
          dense[r * n + idx[p]] += val[p];
        }
      }
      Examples e = new Examples.Held(rows, null, null, s, labels, targets32, targets64);
      return new Case(e, dense, n, labels, targets, k);
    }

    DenseMatrix<Object> x(int[] rows) {
      DenseMatrix<Object> m = BreezeReference.matrix(rows.length, n);
      for (int i = 0; i < rows.length; i++) {
        for (int j = 0; j < n; j++) {
          m.update$mcD$sp(i, j, dense[rows[i] * n + j]);
        }
      }
      return m;
    }

    int[] labels(int[] rows) {
      return labels == null ? null : Arrays.stream(rows).map(r -> labels[r]).toArray();
    }

    DenseMatrix<Object> targets(int[] rows) {
      if (targets == null) {
        return null;
      }
      DenseMatrix<Object> m = BreezeReference.matrix(rows.length, k);
      for (int i = 0; i < rows.length; i++) {
        for (int j = 0; j < k; j++) {
          m.update$mcD$sp(i, j, targets[rows[i] * k + j]);
        }
      }
      return m;
    }
  }
}
