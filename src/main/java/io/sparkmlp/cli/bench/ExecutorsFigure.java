package io.sparkmlp.cli.bench;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Examples;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.train.StepEngines;
import io.sparkmlp.train.StepTimings;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.reduce.PartialSum;
import io.sparkmlp.train.reduce.TreeTopology;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Figure 7: training on many executors. Trains the given network on a real data set with
 * {@code --rows-per-partition} rows per partition per step (global batch = that × partitions),
 * with each step engine, and reports the per-step time (median, p95 of the timed epochs), where
 * it went, and the driver's bytes in and out per step. Run it once per cluster size
 * ({@code conf/bench-executors.sh} starts standalone clusters of 1, 2, 4 and 8 workers and
 * collects the rows).
 *
 * <p>It also measures, in this JVM, the CPU costs that a step's reduction tree pays per
 * parameter (exact merge, weight encoding and decoding) and one partition's compute, and feeds
 * them to a cost model ({@link #costModel}) that projects ms/step and rows/s to clusters of 16,
 * 64 and 256 executors of 8 cores on 10 and 25 Gbit/s links.
 */
final class ExecutorsFigure {
  private final SparkSession spark;
  private final BenchSettings settings;
  private final int partitions;
  private final int fanIn;
  private final Figure figure;
  private double measuredStepMs = Double.NaN;
  /** Inputs and outputs of the measured network (the data set's), for the cost model. */
  private int inputs = 784;
  private int outputs = 10;

  ExecutorsFigure(SparkSession spark, BenchSettings settings, int partitions) {
    this.spark = spark;
    this.settings = settings;
    this.partitions = partitions;
    this.fanIn = StepEngines.fanIn(JavaSparkContext.fromSparkContext(spark.sparkContext()));
    this.figure = new Figure(7, "training on executors: " + settings.data() + ", hidden "
        + Arrays.toString(settings.hidden()) + ", " + settings.rowsPerPartition()
        + " rows per partition per step, fan-in " + fanIn, "executors", "partitions", "engine",
        "steps", "ms/step median", "p95", "rows/s", "weights out", "compute", "driver sum",
        "update", "rest", "driver MB out/in per step");
    figure.note("ms/step over the timed epochs (after " + settings.warmupEpochs() + " warm-up); "
        + "weights out: encoding and sending the weights (stage) or broadcasting them (job); "
        + "compute: the slowest partition; driver sum: the driver's own merging and forming "
        + "the mean gradient; update: optimizer and float32 rounding; rest: the tree or "
        + "Spark's jobs (transfers, executors' decoding and merging, scheduling)");
  }

  /** Trains with every engine on {@code settings.data()} and adds one row per engine. */
  Figure measure() {
    Dataset train = DataLoader.load(spark, DataSpec.of(settings.data()),
        LoadOptions.defaults().withDtype(Dtype.FLOAT32).withPartitions(partitions)
            .withValidationFraction(0).withSeed(settings.seed())).train();
    int executors = executors();
    inputs = train.numFeatures();
    outputs = train.classLabels() == null ? train.targetNames().length : train.classLabels().length;
    try {
      for (TrainConfig.StepEngineKind engine : settings.engines()) {
        TrainConfig config = new TrainConfig().hidden(settings.hidden())
            .batchSize(settings.rowsPerPartition() * partitions)
            .epochs(settings.warmupEpochs() + settings.epochs()).dtype(Dtype.FLOAT32)
            .seed(settings.seed()).stepEngine(engine);
        TimingListener timing = new TimingListener(settings.warmupEpochs());
        TrainResult r = new Trainer(spark, config).fit(train, null, null, timing);
        double[] wall = timing.stepMillis(StepTimings::wallNanos);
        double median = Percentiles.median(wall);
        if (r.engine.equals("stage")) {
          measuredStepMs = median;
        }
        double rowsPerSecond = settings.rowsPerPartition() * partitions * 1000.0 / median;
        figure.row(Integer.toString(executors), Integer.toString(partitions), r.engine,
            Integer.toString(wall.length), fmt("%.1f", median), fmt("%.1f", Percentiles.p95(wall)),
            fmt("%.0f", rowsPerSecond), med(timing, StepTimings::broadcastNanos),
            med(timing, StepTimings::computeNanos), med(timing, StepTimings::aggregateNanos),
            med(timing, StepTimings::updateNanos), med(timing, StepTimings::sparkNanos),
            fmt("%.1f / %.1f", mb(timing, StepTimings::driverBytesOut), mb(timing, StepTimings::driverBytesIn)));
        figure.summary(fmt("%d executor(s), %d partitions, %s engine: %.1f ms/step median "
                + "(p95 %.1f), %.0f rows/s, driver %.1f MB out / %.1f MB in per step", executors,
            partitions, r.engine, median, Percentiles.p95(wall), rowsPerSecond,
            mb(timing, StepTimings::driverBytesOut), mb(timing, StepTimings::driverBytesIn)));
      }
    } finally {
      train.unpersist();
    }
    return figure;
  }

  /** Executors registered now (local mode: the driver's own, 1). */
  private int executors() {
    int n = spark.sparkContext().statusTracker().getExecutorInfos().length;
    return spark.sparkContext().isLocal() ? 1 : Math.max(1, n - 1);
  }

  /**
   * The cost model: a step on E executors of C cores (C partitions of R rows each) with fan-in
   * k and P parameters, weights of W bytes (float32) and executor sums of G bytes (one float32
   * partition: 4 bytes per parameter; several: 8, exact in double), on links of bandwidth B with
   * α per message, and tree depth d = ⌈log_k E⌉:
   * <pre>
   *   T = t_part(R) + P·c_merge                      (the executor's C partitions, merged)
   *     + k·(W + G)/B + d·(2α + k·(w + g)/B)        (busiest link; chunks w, g pipelined)
   *     + k·P·c_merge + P·(c_encode + c_decode)      (a node's merging, coding)
   *     + P·c_driver                                 (the driver's mean, optimizer, rounding)
   *   rows/s = E·C·R / T
   * </pre>
   * with c_* measured in this JVM, t_part measured with the kernel, and B, α assumed (10 or 25
   * Gbit/s at 90 % efficiency; α = 0.1 ms, a LAN round trip of Netty).
   */
  Figure costModel() {
    ReduceCosts costs = ReduceCosts.measure(mlp(inputs, settings.hidden(), outputs).numParameters());
    Figure model = new Figure(7, "cost model: projected ms/step and rows/s (8-core executors, "
        + settings.rowsPerPartition() + " rows per partition, fan-in " + fanIn + ")", "network",
        "params", "link", "16 executors", "64 executors", "256 executors", "limit");
    model.note(fmt("measured here per parameter: exact merge %.2f ns, weight encode %.2f ns, "
            + "decode %.2f ns, driver mean + Adam + rounding %.2f ns; α = 0.1 ms per message; "
            + "links at 90 %% of nominal", costs.mergeNanos, costs.encodeNanos,
        costs.decodeNanos, costs.driverNanos));
    if (!Double.isNaN(measuredStepMs)) {
      model.note(fmt("this run's stage engine measured %.1f ms/step on %d executor(s)",
          measuredStepMs, executors()));
    }
    for (MLP mlp : new MLP[] {mlp(inputs, settings.hidden(), outputs),
        mlp(784, new int[] {256, 128}, 10)}) {
      long p = mlp.numParameters();
      double partMs = partitionMillis(mlp, settings.rowsPerPartition());
      for (double gbit : new double[] {10, 25}) {
        String[] cells = new String[7];
        cells[0] = mlp.toString().replaceAll(" .*", "");
        cells[1] = fmt("%.2f M", p / 1e6);
        cells[2] = fmt("%.0f Gbit/s", gbit);
        double limit = Double.NaN;
        int[] sizes = {16, 64, 256};
        for (int s = 0; s < sizes.length; s++) {
          double ms = stepMillis(sizes[s], 8, p, gbit, partMs, costs);
          double rows = sizes[s] * 8.0 * settings.rowsPerPartition() * 1000.0 / ms;
          cells[3 + s] = fmt("%.1f ms, %.0fk rows/s", ms, rows / 1000);
          limit = ms;
        }
        double computeShare = partMs / limit;
        cells[6] = fmt("compute %.0f%% of the step", 100 * computeShare);
        model.row(cells);
      }
    }
    model.summary("cost model: see the table; the step is bound by the busiest link's k·(W+G)/B, "
        + "which does not grow with the executor count (the depth adds d·(2α + chunk time))");
    return model;
  }

  /** The model's ms/step; see {@link #costModel}. */
  private double stepMillis(int executors, int cores, long params, double gbit, double partMs,
      ReduceCosts c) {
    double bytesPerSecond = gbit * 1e9 / 8 * 0.9;
    double alpha = 0.1e-3;
    double w = 4.0 * params;
    double g = (cores == 1 ? 4.0 : 8.0) * params;
    double chunk = Math.min(PartialSum.RANGE, params);
    int depth = new TreeTopology(executors, fanIn).depth();
    int k = Math.min(fanIn, executors);
    double seconds = partMs / 1e3 + params * c.mergeNanos * 1e-9
        + k * (w + g) / bytesPerSecond + depth * (2 * alpha + k * chunk * (4 + 8) / bytesPerSecond)
        + k * params * c.mergeNanos * 1e-9 + params * (c.encodeNanos + c.decodeNanos) * 1e-9
        + params * c.driverNanos * 1e-9;
    return seconds * 1e3;
  }

  /** One partition's forward + backward of {@code rows} rows, median ms, with the kernel. */
  private double partitionMillis(MLP mlp, int rows) {
    Random rnd = new Random(settings.seed());
    float[] x = new float[rows * mlp.numInputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = rnd.nextInt(mlp.numOutputs());
    }
    Examples data = Examples.of(rows, x, y, null);
    Kernel k = Kernel.cpu(mlp, Dtype.FLOAT32, 1024);
    k.loadWeights(mlp.initParameters(io.sparkmlp.nn.WeightInit.PYTORCH,
        io.sparkmlp.nn.BiasInit.PYTORCH, 1));
    double[] ms = new double[30];
    for (int rep = -20; rep < ms.length; rep++) {
      long t = System.nanoTime();
      k.forwardBackward(data, null, 0, rows);
      if (rep >= 0) {
        ms[rep] = (System.nanoTime() - t) / 1e6;
      }
    }
    k.close();
    return Percentiles.median(ms);
  }

  private static MLP mlp(int in, int[] hidden, int out) {
    return new MLP(in, hidden, out, Activation.RELU, Loss.CROSS_ENTROPY);
  }

  private static String med(TimingListener timing, ToLongFunction<StepTimings> part) {
    double[] ms = timing.stepMillis(part);
    return ms.length == 0 ? "n/a" : fmt("%.2f", Percentiles.median(ms));
  }

  private static double mb(TimingListener timing, ToLongFunction<StepTimings> bytes) {
    return Percentiles.median(timing.stepValues(bytes)) / 1e6;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
