package io.sparkmlp.cli.bench;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Examples;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.MLP;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Figure 8: what sample weights cost a partition's step, at the kernel (no Spark): the thread
 * CPU time of one forward and backward pass over a batch of shuffled rows (gathered, as a
 * shuffled epoch's steps are), with and without a weight per row, per dtype and batch size.
 * The weighted pass also gathers the weights, scales each row's output delta and sums
 * {@code w·loss}; everything before the output layer and the whole backward pass are the same.
 * Passes alternate between the two cases so drift hits both alike; the median is kept.
 */
final class WeightsFigure {
  /** Rows of the in-memory data the batches are drawn from. */
  private static final int POOL_ROWS = 8192;
  private static final int CHUNK_ROWS = 1024;

  private final BenchSettings s;
  private final MLP mlp;

  WeightsFigure(BenchSettings s, MLP mlp) {
    this.s = s;
    this.mlp = mlp;
  }

  Figure measure() {
    Figure f = new Figure(8, "sample weights: thread CPU of one forward+backward pass per "
        + "partition step, " + describe(mlp) + ", shuffled rows", "dtype", "rows", "plain us",
        "weighted us", "cost");
    int reps = s.quick() ? 5 : 60;
    for (Dtype dtype : s.dtypes()) {
      for (int batch : s.batches()) {
        int m = Math.min(batch, POOL_ROWS);
        double[] us = time(dtype, m, reps);
        double cost = us[1] / us[0] - 1;
        f.row(dtype.optionName(), Integer.toString(m), fmt(us[0]), fmt(us[1]),
            String.format(Locale.ROOT, "%+.1f %%", 100 * cost));
        f.summary(String.format(Locale.ROOT, "%s %d rows: %.0f us plain, %.0f us weighted "
            + "(%+.1f %%)", dtype.optionName(), m, us[0], us[1], 100 * cost));
      }
    }
    f.note("median of " + reps + " alternating passes after " + reps / 5 + " warm-up passes "
        + "each; one thread (the kernel's), BLAS as the executors use it");
    return f;
  }

  /** Median thread-CPU microseconds per pass: [plain, weighted]. */
  private double[] time(Dtype dtype, int m, int reps) {
    SplittableRandom rnd = new SplittableRandom(s.seed());
    int n = mlp.numInputs();
    double[] x = new double[POOL_ROWS * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextDouble();
    }
    int[] labels = new int[POOL_ROWS];
    double[] w = new double[POOL_ROWS];
    for (int r = 0; r < POOL_ROWS; r++) {
      labels[r] = rnd.nextInt(mlp.numOutputs());
      w[r] = rnd.nextInt(3);
    }
    Examples plain = dtype == Dtype.FLOAT64 ? Examples.of(POOL_ROWS, x, labels, null)
        : Examples.of(POOL_ROWS, toFloat(x), labels, null);
    Examples weighted = Examples.weighted(plain, w);
    int[] order = new int[POOL_ROWS];
    for (int i = 0; i < POOL_ROWS; i++) {
      order[i] = i;
    }
    for (int i = POOL_ROWS - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    Kernel kernel = Kernel.cpu(mlp, dtype, CHUNK_ROWS);
    kernel.loadWeights(mlp.initParameters(io.sparkmlp.nn.WeightInit.PYTORCH,
        io.sparkmlp.nn.BiasInit.PYTORCH, s.seed()));
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long[][] nanos = new long[2][reps];
    int warmup = reps / 5;
    for (int i = -warmup; i < reps; i++) {
      int from = Math.floorMod(i * m, POOL_ROWS - m + 1);
      for (int c = 0; c < 2; c++) {
        Examples data = c == 0 ? plain : weighted;
        long t0 = bean.getCurrentThreadCpuTime();
        kernel.forwardBackward(data, order, from, m);
        long t = bean.getCurrentThreadCpuTime() - t0;
        if (i >= 0) {
          nanos[c][i] = t;
        }
      }
    }
    return new double[] {median(nanos[0]) / 1e3, median(nanos[1]) / 1e3};
  }

  private static double median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  private static String fmt(double us) {
    return String.format(Locale.ROOT, "%.0f", us);
  }

  private static String describe(MLP mlp) {
    int[] sizes = mlp.layerSizes();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      sb.append(i == 0 ? "" : "-").append(sizes[i]);
    }
    return sb.toString();
  }
}
