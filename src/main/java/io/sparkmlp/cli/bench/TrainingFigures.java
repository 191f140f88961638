package io.sparkmlp.cli.bench;

import io.sparkmlp.data.DataFrameSource;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.train.StepTimings;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Figures 2 and 3 (and the memory rows of figure 5): trains on the synthetic set with the real
 * {@link Trainer} for every dtype × batch × step engine, and reports the median epoch time
 * against the GEMM bound (figure 2) and where each step's time went (figure 3), from
 * {@link StepTimings}. Figure 3 also has the per-step overhead floor: the same loop on a
 * 16-8-2 network whose maths costs next to nothing.
 */
final class TrainingFigures {
  private final SparkSession spark;
  private final BenchSettings settings;
  private final int partitions;
  private final String master;
  private final Figure epochs;
  private final Figure steps = new Figure(3, "per-step breakdown, ms median / p95", "dtype",
      "batch", "engine", "steps", "wall", "broadcast", "compute", "aggregate", "update",
      "Spark (rest)");

  TrainingFigures(SparkSession spark, BenchSettings settings, int partitions) {
    this.spark = spark;
    this.settings = settings;
    this.partitions = partitions;
    this.master = spark.sparkContext().master();
    this.epochs = new Figure(2, "epoch time on " + settings.rows() + " x " + settings.features()
        + " synthetic rows, " + master + ", " + partitions + " partitions", "dtype", "batch",
        "engine", "steps/epoch", "epoch s (median)", "rows/s", "GEMM-bound s", "x GEMM-bound");
    epochs.note("epoch = the trainer's own epoch time (steps + optimizer, no validation), median "
        + "of " + settings.epochs() + " timed epochs after " + settings.warmupEpochs()
        + " warm-up epoch(s); Adam, hidden " + Arrays.toString(settings.hidden()));
    steps.note("broadcast: the weights' hand-over on the driver; compute: the slowest "
        + "partition's gather + forward + backward, timed inside its task; aggregate: the "
        + "driver's sum of the partition gradients; update: loss normalisation, optimizer, "
        + "rounding; Spark (rest) = wall - the others: scheduling, task launch, result transfer");
  }

  /** Trains every batch × engine on {@code frame} loaded in {@code dtype}; fills figure 5 too. */
  void run(org.apache.spark.sql.Dataset<Row> frame, Dtype dtype, GemmFigure gemm,
      MemoryFigure memory) {
    Map<String, HeapPeaks.Peak> beforeLoad = HeapPeaks.sample(frame.javaRDD(), true);
    Dataset train = load(frame, dtype);
    try {
      Map<String, HeapPeaks.Peak> loaded = HeapPeaks.sample(train.blocks(), true);
      if (memory != null) {
        memory.phase(train, "load", loaded, beforeLoad);
      }
      for (int batch : settings.batches()) {
        for (TrainConfig.StepEngineKind engine : settings.engines()) {
          timeRun(train, dtype, batch, engine, gemm == null ? Double.NaN
              : gemm.boundSeconds(dtype, batch));
        }
      }
      if (memory != null) {
        memory.phase(train, "train", HeapPeaks.sample(train.blocks(), false), loaded);
      }
    } finally {
      train.unpersist();
    }
  }

  /** The overhead floor: a 16-8-2 network at the floor batch, one timed epoch per engine. */
  void floor() {
    long rows = (long) settings.floorBatch() * settings.floorSteps();
    org.apache.spark.sql.Dataset<Row> frame = SyntheticData.frame(spark, rows, 16, 2,
        partitions, settings.seed());
    Dataset train = load(frame, Dtype.FLOAT32);
    try {
      for (TrainConfig.StepEngineKind engine : settings.engines()) {
        TrainConfig config = new TrainConfig().hidden(8).batchSize(settings.floorBatch())
            .epochs(2).dtype(Dtype.FLOAT32).seed(settings.seed()).stepEngine(engine);
        TimingListener timing = new TimingListener(1);
        TrainResult r = new Trainer(spark, config).fit(train, null, null, timing);
        String label = "floor 16-8-2";
        double[] wall = timing.stepMillis(StepTimings::wallNanos);
        stepRow(timing, "float32", label + " b" + settings.floorBatch(), r.engine);
        steps.summary(String.format(Locale.ROOT, "per-step overhead floor (16-8-2, batch %d, "
                + "%s, %s engine): %.2f ms median, %.2f ms p95 over %d steps",
            settings.floorBatch(), master, r.engine, Percentiles.median(wall),
            Percentiles.p95(wall), wall.length));
      }
    } finally {
      train.unpersist();
      frame.unpersist();
    }
  }

  Figure epochFigure() {
    return epochs;
  }

  Figure stepFigure() {
    return steps;
  }

  private Dataset load(org.apache.spark.sql.Dataset<Row> frame, Dtype dtype) {
    return DataFrameSource.load(frame, "features", "label", Task.CLASSIFICATION,
        LoadOptions.defaults().withDtype(dtype).withPartitions(partitions)
            .withValidationFraction(0).withSeed(settings.seed())).train();
  }

  private void timeRun(Dataset train, Dtype dtype, int batch, TrainConfig.StepEngineKind engine,
      double bound) {
    TrainConfig config = new TrainConfig().hidden(settings.hidden()).batchSize(batch)
        .epochs(settings.warmupEpochs() + settings.epochs()).dtype(dtype).seed(settings.seed())
        .stepEngine(engine);
    TimingListener timing = new TimingListener(settings.warmupEpochs());
    TrainResult r = new Trainer(spark, config).fit(train, null, null, timing);
    double epoch = Percentiles.median(timing.epochSeconds());
    double rowsPerSecond = train.numRows() / epoch;
    String d = dtype.optionName();
    epochs.row(d, Integer.toString(batch), r.engine,
        Long.toString(r.history.get(0).steps), fmt("%.3f", epoch), fmt("%.0f", rowsPerSecond),
        fmt("%.4g", bound), fmt("%.2f", epoch / bound));
    epochs.summary(fmt("%s batch %d %s %s engine: epoch %.3f s (%.0f rows/s) = %.2f x "
        + "GEMM-bound (%.4g s)", d, batch, master, r.engine, epoch, rowsPerSecond,
        epoch / bound, bound));
    stepRow(timing, d, Integer.toString(batch), r.engine);
    double[] wall = timing.stepMillis(StepTimings::wallNanos);
    steps.summary(fmt("%s batch %d %s engine: step %.2f ms median (p95 %.2f, mean %.2f): "
            + "broadcast %s, compute %s, aggregate %s, update %s, Spark (rest) %s ms (medians)",
        d, batch, r.engine, Percentiles.median(wall), Percentiles.p95(wall),
        Percentiles.mean(wall),
        median(timing, StepTimings::broadcastNanos), median(timing, StepTimings::computeNanos),
        median(timing, StepTimings::aggregateNanos), median(timing, StepTimings::updateNanos),
        median(timing, StepTimings::sparkNanos)));
  }

  private void stepRow(TimingListener timing, String dtype, String batch, String engine) {
    steps.row(dtype, batch, engine, Integer.toString(timing.stepMillis(StepTimings::wallNanos).length),
        both(timing, StepTimings::wallNanos), both(timing, StepTimings::broadcastNanos),
        both(timing, StepTimings::computeNanos), both(timing, StepTimings::aggregateNanos),
        both(timing, StepTimings::updateNanos), both(timing, StepTimings::sparkNanos));
  }

  private static String both(TimingListener timing, ToLongFunction<StepTimings> part) {
    double[] ms = timing.stepMillis(part);
    return ms.length == 0 ? "n/a"
        : fmt("%.2f / %.2f", Percentiles.median(ms), Percentiles.p95(ms));
  }

  private static String median(TimingListener timing, ToLongFunction<StepTimings> part) {
    double[] ms = timing.stepMillis(part);
    return ms.length == 0 ? "n/a" : fmt("%.2f", Percentiles.median(ms));
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
