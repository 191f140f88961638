package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The sparse first layer against the dense kernels on the same (densified) rows: loss, summed
 * gradient and outputs, for several densities, with and without a centre, including empty rows
 * and a row with every column set; plus central finite differences on the centred sparse path.
 */
class SparseKernelTest {
  /** CSR test data: values in double, with the dense copy (centre subtracted). */
  static final class Data {
    final int rows;
    final int cols;
    final int[] ptr;
    final int[] idx;
    final double[] val;
    final double[] center;
    final double[] dense;

    Data(int rows, int cols, int[] ptr, int[] idx, double[] val, double[] center) {
      this.rows = rows;
      this.cols = cols;
      this.ptr = ptr;
      this.idx = idx;
      this.val = val;
      this.center = center;
      this.dense = new double[rows * cols];
      SparseRows s = SparseRows.of64(rows, cols, ptr, idx, val, center);
      for (int r = 0; r < rows; r++) {
        s.denseRow(r, dense, r * cols);
      }
    }

    SparseRows s64() {
      return SparseRows.of64(rows, cols, ptr, idx, val, center);
    }

    SparseRows s32() {
      float[] v = new float[val.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) val[i];
      }
      return SparseRows.of32(rows, cols, ptr, idx, v, center);
    }

    float[] dense32() {
      // the float32 dense path rounds x − c, the sparse one rounds x: compare on the same values
      float[] d = new float[dense.length];
      SparseRows s = s32();
      double[] row = new double[cols];
      for (int r = 0; r < rows; r++) {
        s.denseRow(r, row, 0);
        for (int j = 0; j < cols; j++) {
          d[r * cols + j] = (float) row[j];
        }
      }
      return d;
    }
  }

  /** Random rows of the given density; row 1 is empty, row 2 has every column set. */
  static Data random(SplittableRandom rng, int rows, int cols, double density, boolean centred) {
    int[] ptr = new int[rows + 1];
    int[] idx = new int[rows * cols];
    double[] val = new double[rows * cols];
    int p = 0;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        boolean set = r == 2 || (r != 1 && rng.nextDouble() < density);
        if (set) {
          idx[p] = j;
          val[p++] = rng.nextGaussian();
        }
      }
      ptr[r + 1] = p;
    }
    double[] center = null;
    if (centred) {
      center = new double[cols];
      for (int j = 0; j < cols; j++) {
        center[j] = rng.nextGaussian();
      }
    }
    return new Data(rows, cols, ptr, Arrays.copyOf(idx, p), Arrays.copyOf(val, p), center);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (double density : new double[] {0.0, 0.01, 0.1, 0.5, 1.0}) {
      for (boolean centred : new boolean[] {false, true}) {
        for (Loss loss : Loss.values()) {
          for (String method : new String[] {"axpy", "gemm"}) {
            b.add(Arguments.of(density, centred, loss, method));
          }
        }
      }
    }
    return b.build();
  }

  private static MLP mlp(int cols, Loss loss) {
    return new MLP(cols, new int[] {9, 5}, 3, Activation.TANH, loss);
  }

  /** The GEMM threshold that forces one of the sparse layer's two methods. */
  private static double gemmAbove(String method) {
    return method.equals("gemm") ? 0.0 : Double.POSITIVE_INFINITY;
  }

  @ParameterizedTest(name = "density {0} centred {1} {2} {3}")
  @MethodSource("cases")
  void float64SparseEqualsDense(double density, boolean centred, Loss loss, String method) {
    SplittableRandom rng = new SplittableRandom(Double.hashCode(density) * 31L + (centred ? 1 : 0));
    int rows = 23;
    int cols = 40;
    Data d = random(rng, rows, cols, density, centred);
    MLP mlp = mlp(cols, loss);
    double[] params = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 7);
    int[] labels = rng.ints(rows, 0, 3).toArray();
    double[] targets = rng.doubles(rows * 3).toArray();
    int[] lab = loss == Loss.CROSS_ENTROPY ? labels : null;
    double[] tgt = loss == Loss.MSE ? targets : null;

    // chunks of 4 rows, and a row range that starts inside the data
    Float64Kernel dense = new Float64Kernel(mlp, 4);
    Float64Kernel sparse = new Float64Kernel(mlp, 4, gemmAbove(method));
    double[] gDense = new double[mlp.numParameters()];
    double[] gSparse = new double[mlp.numParameters()];
    double lDense = dense.forwardBackward(params, d.dense, 1, rows - 1, lab, tgt, gDense);
    double lSparse = sparse.forwardBackward(params, d.s64(), 1, rows - 1, lab, tgt, gSparse);
    assertEquals(lDense, lSparse, 1e-12 * Math.abs(lDense));
    assertClose(gDense, gSparse, 1e-12, 1e-3);

    double[] oDense = new double[rows * 3];
    double[] oSparse = new double[rows * 3];
    dense.forward(params, d.dense, 0, rows, oDense, 0);
    sparse.forward(params, d.s64(), 0, rows, oSparse, 0);
    assertClose(oDense, oSparse, 1e-12, 1e-3);
  }

  @ParameterizedTest(name = "density {0} centred {1} {2} {3}")
  @MethodSource("cases")
  void float32SparseEqualsDense(double density, boolean centred, Loss loss, String method) {
    SplittableRandom rng = new SplittableRandom(Double.hashCode(density) * 17L + (centred ? 1 : 0));
    int rows = 19;
    int cols = 33;
    Data d = random(rng, rows, cols, density, centred);
    MLP mlp = mlp(cols, loss);
    double[] p64 = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 3);
    float[] params = new float[p64.length];
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) p64[i];
    }
    int[] labels = rng.ints(rows, 0, 3).toArray();
    float[] targets = new float[rows * 3];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = (float) rng.nextDouble();
    }
    int[] lab = loss == Loss.CROSS_ENTROPY ? labels : null;
    float[] tgt = loss == Loss.MSE ? targets : null;
    Float32Kernel dense = new Float32Kernel(mlp, 5);
    Float32Kernel sparse = new Float32Kernel(mlp, 5, gemmAbove(method));
    float[] gDense = new float[mlp.numParameters()];
    float[] gSparse = new float[mlp.numParameters()];
    double lDense = dense.forwardBackward(params, d.dense32(), 0, rows, lab, tgt, gDense);
    double lSparse = sparse.forwardBackward(params, d.s32(), 0, rows, lab, tgt, gSparse);
    assertEquals(lDense, lSparse, 1e-4 * Math.abs(lDense));
    // float32 sums cancel differently (the centre is folded in after the sums), so the floor is
    // set by the largest gradient entry
    assertClose(widen(gDense), widen(gSparse), 1e-4, 1e-1);
  }

  @Test
  void centredSparseGradientMatchesCentralDifferences() {
    SplittableRandom rng = new SplittableRandom(11);
    Data d = random(rng, 6, 8, 0.3, true);
    MLP mlp = new MLP(8, new int[] {4}, 3, Activation.GELU, Loss.CROSS_ENTROPY);
    double[] params = mlp.initParameters(WeightInit.XAVIER_UNIFORM, BiasInit.PYTORCH, 5);
    int[] labels = rng.ints(6, 0, 3).toArray();
    Float64Kernel k = new Float64Kernel(mlp, 4, Double.POSITIVE_INFINITY);
    double[] grad = new double[params.length];
    k.forwardBackward(params, d.s64(), 0, 6, labels, null, grad);
    double h = 1e-6;
    for (int i = 0; i < params.length; i++) {
      double keep = params[i];
      params[i] = keep + h;
      double up = k.forwardBackward(params, d.s64(), 0, 6, labels, null, new double[params.length]);
      params[i] = keep - h;
      double down = k.forwardBackward(params, d.s64(), 0, 6, labels, null, new double[params.length]);
      params[i] = keep;
      double fd = (up - down) / (2 * h);
      assertEquals(fd, grad[i], 1e-6 * Math.max(1.0, Math.abs(fd)), "parameter " + i);
    }
  }

  @Test
  void wideInputTouchesOnlyItsColumns() {
    // 200 000 columns, 3 rows: the gradient is zero outside the touched columns
    int cols = 200_000;
    int[] ptr = {0, 2, 2, 3};
    int[] idx = {5, 199_999, 77_777};
    double[] val = {1.5, -2.0, 0.25};
    MLP mlp = new MLP(cols, new int[] {4}, 2, Activation.RELU, Loss.CROSS_ENTROPY);
    double[] params = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 1);
    double[] grad = new double[params.length];
    new Float64Kernel(mlp, 1024, Double.POSITIVE_INFINITY).forwardBackward(params,
        SparseRows.of64(3, cols, ptr, idx, val, null), 0, 3, new int[] {0, 1, 1}, null, grad);
    int touchedNonZero = 0;
    for (int j = 0; j < 4; j++) {
      for (int c = 0; c < cols; c++) {
        double g = grad[mlp.weightOffset(0) + j * cols + c];
        if (c != 5 && c != 199_999 && c != 77_777) {
          assertEquals(0.0, g);
        } else if (g != 0.0) {
          touchedNonZero++;
        }
      }
    }
    assertTrue(touchedNonZero > 0, "some touched column has a gradient");
  }

  @Test
  void gatherCopiesTheChosenRowsIntoReusedBuffers() {
    Data d = random(new SplittableRandom(3), 12, 9, 0.4, true);
    SparseRows.GatherBuffers buffers = new SparseRows.GatherBuffers();
    int[] order = {99, 7, 2, 1, 11, 0, 5};
    for (int[] range : new int[][] {{1, 6}, {2, 2}, {1, 3}}) {
      int from = range[0];
      int m = range[1];
      SparseRows g = d.s64().gather(order, from, m, buffers);
      assertEquals(m, g.rows());
      assertEquals(d.center, g.center());
      double[] row = new double[9];
      for (int i = 0; i < m; i++) {
        g.denseRow(i, row, 0);
        assertArrayEqualsAt(d.dense, order[from + i] * 9, row, "row " + order[from + i]);
      }
    }
  }

  private static void assertArrayEqualsAt(double[] expected, int offset, double[] actual,
      String what) {
    for (int j = 0; j < actual.length; j++) {
      assertEquals(expected[offset + j], actual[j], what + " column " + j);
    }
  }

  @Test
  void invalidStructureIsRejectedWithTheRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseRows.of64(2, 5, new int[] {0, 2, 3}, new int[] {3, 1, 4}, new double[3], null));
    assertTrue(e.getMessage().contains("row 0: column 1 after 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SparseRows.of64(1, 5, new int[] {0, 1}, new int[] {5}, new double[1], null));
    assertTrue(e.getMessage().contains("[0, 5)"), e.getMessage());
    MLP mlp = new MLP(4, new int[] {2}, 2, Activation.RELU, Loss.CROSS_ENTROPY);
    e = assertThrows(IllegalArgumentException.class, () -> new Float64Kernel(mlp, 2).forward(
        new double[mlp.numParameters()], SparseRows.of64(1, 5, new int[] {0, 0}, new int[0],
            new double[0], null), 0, 1, new double[2], 0));
    assertTrue(e.getMessage().contains("5 columns"), e.getMessage());
  }

  private static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Element-wise within {@code rel} of the larger of |expected| and {@code floor}·max|expected|. */
  static void assertClose(double[] expected, double[] actual, double rel, double floor) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(Math.abs(expected[i]), floor * scale);
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }
}
