package io.sparkmlp.cli.bench;

import io.sparkmlp.data.Dataset;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.storage.RDDInfo;

/**
 * Figure 5: what the cached training data costs per row against the raw numbers
 * (4 bytes per feature in float32, 8 in float64), from Spark's own storage accounting
 * ({@code getRDDStorageInfo}: memory and disk size of the cached blocks RDD), and the peak heap
 * of the driver and the executors while loading and while training ({@link HeapPeaks}).
 */
final class MemoryFigure {
  private final SparkContext sc;
  private final Figure fig = new Figure(5, "memory: cached training data and peak heap",
      "dtype", "phase", "JVM", "cached bytes/row", "raw bytes/row", "peak heap MiB",
      "max heap MiB", "GC s");

  MemoryFigure(SparkContext sc) {
    this.sc = sc;
    fig.note("cached bytes/row = memSize + diskSize of the cached blocks RDD / rows "
        + "(Spark's SizeEstimator of the deserialized blocks); raw = 4 or 8 bytes × features");
    fig.note("peak heap = Σ over heap pools of each pool's peak since the phase began "
        + "(an upper bound); in local mode the driver is the executor (one JVM)");
  }

  /** Adds the rows of one phase ({@code load} or {@code train}) of a data set. */
  void phase(Dataset data, String phase, Map<String, HeapPeaks.Peak> peaks,
      Map<String, HeapPeaks.Peak> before) {
    String cached = "";
    String raw = "";
    if ("load".equals(phase)) {
      long bytes = cachedBytes(data.blocks().rdd().id());
      cached = String.format(Locale.ROOT, "%.1f", (double) bytes / data.numRows());
      raw = Integer.toString(data.dtype().bytes() * data.numFeatures());
      fig.summary(String.format(Locale.ROOT, "%s: cached training data %s bytes/row vs raw %s "
              + "(%.2f x); %d rows x %d features = %.1f MiB", data.dtype().optionName(), cached,
          raw, (double) bytes / data.numRows() / (data.dtype().bytes() * data.numFeatures()),
          data.numRows(), data.numFeatures(), bytes / 1048576.0));
    }
    for (HeapPeaks.Peak p : peaks.values()) {
      HeapPeaks.Peak b = before.get(p.jvm());
      double gc = b == null ? Double.NaN : (p.gcMillis() - b.gcMillis()) / 1e3;
      fig.row(data.dtype().optionName(), phase, p.jvm(), cached, raw,
          String.format(Locale.ROOT, "%.0f", p.peakBytes() / 1048576.0),
          String.format(Locale.ROOT, "%.0f", p.maxBytes() / 1048576.0),
          String.format(Locale.ROOT, "%.2f", gc));
      fig.summary(String.format(Locale.ROOT, "%s %s: peak heap %.0f MiB of %.0f MiB in %s",
          data.dtype().optionName(), phase, p.peakBytes() / 1048576.0,
          p.maxBytes() / 1048576.0, p.jvm()));
    }
  }

  Figure figure() {
    return fig;
  }

  private long cachedBytes(int rddId) {
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      if (info.id() == rddId) {
        return info.memSize() + info.diskSize();
      }
    }
    throw new IllegalStateException("the training blocks (RDD " + rddId + ") are not cached");
  }
}
