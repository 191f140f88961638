package io.sparkmlp.cli.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 1: the GEMM rate of the BLAS in use at the kernels' own shapes, and the GEMM-bound
 * epoch time: how long an epoch would take if the partitions did nothing but their matrix
 * products at those rates, all at once, one per core.
 *
 * <p>Per step each of the P partitions takes its expected share B/P of the batch, in kernel
 * chunks of at most {@link #KERNEL_CHUNK_ROWS} rows; the bound is (N / B) steps × the
 * seconds of one share's products, each timed with P threads running it at once. FLOPs per
 * training row: forward 2·ΣW, weight gradient 2·ΣW, input gradient 2·Σ_{l≥1}W (the first
 * layer's is not computed), where W is a layer's weight count; the widespread 6·ΣW rule counts
 * the first layer's input gradient too. Biases, activations and the softmax are left out
 * (O(Σh) per row, not O(ΣW)).
 */
final class GemmFigure {
  /** Rows per kernel call: {@code PartitionStepper.CHUNK_ROWS}. */
  static final int KERNEL_CHUNK_ROWS = 1024;

  private final BenchSettings settings;
  private final MLP mlp;
  private final int partitions;
  private final Map<String, Double> perChunk = new HashMap<>();
  private final Map<String, Double> bounds = new HashMap<>();

  GemmFigure(BenchSettings settings, MLP mlp, int partitions) {
    this.settings = settings;
    this.mlp = mlp;
    this.partitions = partitions;
  }

  /** GEMM FLOPs the kernels spend per training row (forward and backward). */
  static double flopsPerRow(MLP mlp) {
    double flops = 0;
    for (int l = 0; l < mlp.numLayers(); l++) {
      double w = (double) mlp.size(l) * mlp.size(l + 1);
      flops += (l == 0 ? 4 : 6) * w;
    }
    return flops;
  }

  /** Weights (no biases) of the network, ΣW. */
  static double weights(MLP mlp) {
    double w = 0;
    for (int l = 0; l < mlp.numLayers(); l++) {
      w += (double) mlp.size(l) * mlp.size(l + 1);
    }
    return w;
  }

  Figure measure() {
    Figure fig = new Figure(1, "GEMM rate of " + BLAS.getInstance().getClass().getName()
        + " at the kernels' shapes (" + mlp + ")", "dtype", "rows/call", "layer", "product",
        "MxNxK", "GFLOPS 1 thread", "GFLOPS/thread, " + partitions + " at once");
    for (Dtype dtype : settings.dtypes()) {
      for (int batch : settings.batches()) {
        bound(fig, dtype, batch);
      }
    }
    double w = weights(mlp);
    fig.note(String.format(Locale.ROOT, "FLOPs per training row = 2·ΣW (X·Wᵀ) + 2·ΣW (dW) + "
        + "2·Σ_{l≥1}W (dX) = %.0f (6·ΣW rule: %.0f; biases, activations, softmax excluded); "
        + "ΣW = %.0f", flopsPerRow(mlp), 6 * w, w));
    fig.note("GEMM-bound epoch = (N / B) × Σ over one partition's share of a step (B/P rows in "
        + "chunks of ≤ " + KERNEL_CHUNK_ROWS + ") of each product's seconds per call with "
        + partitions + " threads calling at once; rate = per-thread rate × " + partitions
        + " threads (one per partition and core in use)");
    return fig;
  }

  /** The GEMM-bound epoch seconds of {@code dtype} at {@code batch}, once measured. */
  double boundSeconds(Dtype dtype, int batch) {
    return bounds.getOrDefault(key(dtype, batch), Double.NaN);
  }

  private void bound(Figure fig, Dtype dtype, int batch) {
    int share = (int) Math.ceil((double) batch / partitions);
    int full = share / KERNEL_CHUNK_ROWS;
    int rest = share % KERNEL_CHUNK_ROWS;
    double step = (full > 0 ? full * chunkSeconds(fig, dtype, KERNEL_CHUNK_ROWS) : 0)
        + (rest > 0 ? chunkSeconds(fig, dtype, rest) : 0);
    double epoch = (double) settings.rows() / batch * step;
    bounds.put(key(dtype, batch), epoch);
    double flops = settings.rows() * flopsPerRow(mlp);
    fig.summary(String.format(Locale.ROOT, "%s batch %d (%d rows per partition): GEMM %.1f "
            + "GFLOPS (%d threads x %.1f) -> GEMM-bound epoch %.4g s for %.4g GFLOP",
        dtype.optionName(), batch, share, flops / epoch / 1e9, partitions,
        flops / epoch / 1e9 / partitions, epoch, flops / 1e9));
  }

  /** Seconds of one chunk's products with all partitions' threads busy; adds table rows once. */
  private double chunkSeconds(Figure fig, Dtype dtype, int rows) {
    String key = dtype.optionName() + "/" + rows;
    Double known = perChunk.get(key);
    if (known != null) {
      return known;
    }
    double seconds = 0;
    List<Gemm> calls = Gemm.ofChunk(mlp, rows);
    for (Gemm g : calls) {
      double one = GemmTimer.secondsPerCall(g, dtype, 1, settings.gemmMillis());
      double shared = GemmTimer.secondsPerCall(g, dtype, partitions, settings.gemmMillis());
      seconds += shared;
      fig.row(dtype.optionName(), Integer.toString(rows), Integer.toString(g.layer()), g.op(),
          g.shape(), gflops(g, one), gflops(g, shared));
    }
    perChunk.put(key, seconds);
    return seconds;
  }

  private static String gflops(Gemm g, double seconds) {
    return String.format(Locale.ROOT, "%.1f", g.flops() / seconds / 1e9);
  }

  private static String key(Dtype dtype, int batch) {
    return dtype.optionName() + "/" + batch;
  }
}
