package io.sparkmlp.cli.bench;

import io.sparkmlp.blas.Blas;
import io.sparkmlp.blas.BlasChoice;
import io.sparkmlp.blas.BlasKind;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Figure 1: the GEMM rate of every BLAS this machine has (the system's, the bundled OpenBLAS,
 * netlib's Vector API and plain Java ones, and a library named by {@code spark.mlp.blas}) side
 * by side at the kernels' own shapes, and the GEMM-bound epoch time of each: how long an epoch
 * would take if the partitions did nothing but their matrix products at those rates, all at
 * once, one per core. netlib binds one BLAS per JVM, so each is measured by {@link GemmProbe}
 * in a JVM of its own; the bound of the BLAS this JVM uses is the one figure 2 compares with.
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

  /** The settings that force each BLAS measured: the four kinds, and the library in use. */
  static List<String> blasValues(BlasChoice inUse) {
    List<String> values = new ArrayList<>(List.of(BlasKind.SYSTEM.optionName(),
        BlasKind.BUNDLED.optionName(), BlasKind.VECTOR.optionName(), BlasKind.JAVA.optionName()));
    if (inUse.kind() == BlasKind.LIBRARY) {
      values.add(1, inUse.library().toString());
    }
    return values;
  }

  Figure measure() {
    BlasChoice inUse = Blas.choice();
    int[] chunkRows = chunkRows();
    List<BlasRun> runs = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String value : blasValues(inUse)) {
      BlasRun run;
      try {
        run = BlasRun.measure(value, mlp, settings.dtypes(), chunkRows, partitions,
            settings.gemmMillis());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (run.available()) {
        runs.add(run);
        notes.add(label(run) + " = " + run.summary + (inUse(run, inUse) ? " (in use)" : ""));
      } else {
        notes.add(value + ": not available here (" + run.unavailable + ")");
      }
    }
    List<String> columns = new ArrayList<>(List.of("dtype", "rows/call", "layer", "product",
        "MxNxK"));
    for (BlasRun r : runs) {
      columns.add(label(r) + " 1 thread");
      columns.add(label(r) + " " + partitions + " at once");
    }
    Figure fig = new Figure(1, "GEMM GFLOPS per thread of each BLAS at the kernels' shapes ("
        + mlp + ")", columns.toArray(new String[0]));
    for (Dtype dtype : settings.dtypes()) {
      for (int rows : chunkRows) {
        for (Gemm g : Gemm.ofChunk(mlp, rows)) {
          List<String> cells = new ArrayList<>(List.of(dtype.optionName(), Integer.toString(rows),
              Integer.toString(g.layer()), g.op(), g.shape()));
          for (BlasRun r : runs) {
            double[] s = r.seconds(dtype, rows, g);
            cells.add(gflops(g, s[0]));
            cells.add(gflops(g, s[1]));
          }
          fig.row(cells.toArray(new String[0]));
        }
      }
    }
    for (BlasRun r : runs) {
      for (Dtype dtype : settings.dtypes()) {
        for (int batch : settings.batches()) {
          bound(fig, r, inUse(r, inUse), dtype, batch);
        }
      }
    }
    notes.forEach(fig::note);
    double w = weights(mlp);
    fig.note(String.format(Locale.ROOT, "FLOPs per training row = 2·ΣW (X·Wᵀ) + 2·ΣW (dW) + "
        + "2·Σ_{l≥1}W (dX) = %.0f (6·ΣW rule: %.0f; biases, activations, softmax excluded); "
        + "ΣW = %.0f", flopsPerRow(mlp), 6 * w, w));
    fig.note("GEMM-bound epoch = (N / B) × Σ over one partition's share of a step (B/P rows in "
        + "chunks of ≤ " + KERNEL_CHUNK_ROWS + ") of each product's seconds per call with "
        + partitions + " threads calling at once; rate = per-thread rate × " + partitions
        + " threads (one per partition and core in use); each BLAS measured in a JVM of its own "
        + "(-Dspark.mlp.blas=…), with this JVM's OPENBLAS_NUM_THREADS="
        + System.getenv("OPENBLAS_NUM_THREADS"));
    return fig;
  }

  /** The GEMM-bound epoch seconds of {@code dtype} at {@code batch} with the BLAS in use. */
  double boundSeconds(Dtype dtype, int batch) {
    return bounds.getOrDefault(key(dtype, batch), Double.NaN);
  }

  /** The distinct chunk sizes the kernels see over the settings' batches. */
  private int[] chunkRows() {
    TreeSet<Integer> rows = new TreeSet<>();
    for (int batch : settings.batches()) {
      int share = share(batch);
      if (share >= KERNEL_CHUNK_ROWS) {
        rows.add(KERNEL_CHUNK_ROWS);
      }
      if (share % KERNEL_CHUNK_ROWS > 0) {
        rows.add(share % KERNEL_CHUNK_ROWS);
      }
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  private int share(int batch) {
    return (int) Math.ceil((double) batch / partitions);
  }

  private static boolean inUse(BlasRun run, BlasChoice inUse) {
    return run.value.equals(inUse.kind() == BlasKind.LIBRARY ? inUse.library().toString()
        : inUse.kind().optionName());
  }

  private static String label(BlasRun run) {
    return run.value.contains("/") ? "library" : run.value;
  }

  private void bound(Figure fig, BlasRun run, boolean inUse, Dtype dtype, int batch) {
    int share = share(batch);
    int full = share / KERNEL_CHUNK_ROWS;
    int rest = share % KERNEL_CHUNK_ROWS;
    double step = (full > 0 ? full * chunkSeconds(run, dtype, KERNEL_CHUNK_ROWS) : 0)
        + (rest > 0 ? chunkSeconds(run, dtype, rest) : 0);
    double epoch = (double) settings.rows() / batch * step;
    if (inUse) {
      bounds.put(key(dtype, batch), epoch);
    }
    double flops = settings.rows() * flopsPerRow(mlp);
    fig.summary(String.format(Locale.ROOT, "%s%s: %s batch %d (%d rows per partition): GEMM "
            + "%.1f GFLOPS (%d threads x %.1f) -> GEMM-bound epoch %.4g s for %.4g GFLOP",
        label(run), inUse ? " (in use)" : "", dtype.optionName(), batch, share,
        flops / epoch / 1e9, partitions, flops / epoch / 1e9 / partitions, epoch, flops / 1e9));
  }

  /** Seconds of one chunk's products with all partitions' threads busy. */
  private double chunkSeconds(BlasRun run, Dtype dtype, int rows) {
    double seconds = 0;
    for (Gemm g : Gemm.ofChunk(mlp, rows)) {
      seconds += run.seconds(dtype, rows, g)[1];
    }
    return seconds;
  }

  private static String gflops(Gemm g, double seconds) {
    return String.format(Locale.ROOT, "%.1f", g.flops() / seconds / 1e9);
  }

  private static String key(Dtype dtype, int batch) {
    return dtype.optionName() + "/" + batch;
  }
}
