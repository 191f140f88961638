package io.sparkmlp.cli.bench;

import io.sparkmlp.train.StepTimings;

import io.sparkmlp.data.DataFrameSource;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Float32Kernel;
import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.SparseRows;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Figure 6, sparse against dense input: (a) one thread's forward + backward time of a batch in
 * each layout over a grid of densities, and the crossover density below which the sparse first
 * layer is faster (what {@link InputLayout#SPARSE_BELOW} is set from); (b) training epochs and
 * cached bytes of the synthetic set at the published densities in both layouts.
 *
 * <p>Rows are random at the given density (each cell non-zero with that probability, values in
 * (0, 1]); the label
 * depends on the row only, so both layouts see the same data. Timings exclude loading.
 */
final class SparseFigure {
  /** The kernel grid: fine enough around the crossover to interpolate it. */
  private static final double[] KERNEL_DENSITIES =
      {0.001, 0.01, 0.03, 0.05, 0.08, 0.1, 0.15, 0.19, 0.3, 0.5};
  private static final int KERNEL_ROWS = 1024;

  private final SparkSession spark;
  private final BenchSettings settings;
  private final int partitions;
  private final Figure figure = new Figure(6, "sparse vs dense input", "part", "density",
      "dtype", "dense", "sparse", "sparse / dense");

  SparseFigure(SparkSession spark, BenchSettings settings, int partitions) {
    this.spark = spark;
    this.settings = settings;
    this.partitions = partitions;
    figure.note("kernel: ms per forward+backward of a " + KERNEL_ROWS + "-row batch, one thread, "
        + "network " + settings.features() + "-" + join(settings.hidden()) + "-"
        + settings.classes() + "; crossover interpolated where sparse/dense crosses 1");
    figure.note("epoch: median s per epoch over the timed epochs, with the first of --engines "
        + "(the wide run: with each); cached: bytes of the training blocks' arrays per row");
  }

  Figure measure() {
    for (Dtype dtype : settings.dtypes()) {
      kernel(dtype);
    }
    for (double density : settings.densities()) {
      epochs(density);
    }
    if (settings.wideFeatures() > 0) {
      wide();
    }
    return figure;
  }

  /**
   * Part (c): a set too wide to densify, sparse only: {@code --wide-features} columns with
   * {@code --wide-nnz} non-zeros per row, network wide-16-classes (the first layer's weights
   * travel every step, so a wide first layer is kept narrow).
   */
  private void wide() {
    int features = settings.wideFeatures();
    double density = settings.wideNnz() / (double) features;
    org.apache.spark.sql.Dataset<Row> frame = frame(density, features);
    try {
      Dtype dtype = settings.dtypes().get(0);
      int batch = settings.batches()[settings.batches().length / 2];
      Dataset train = DataFrameSource.load(frame, "features", "label", Task.CLASSIFICATION,
          LoadOptions.defaults().withDtype(dtype).withPartitions(partitions)
              .withValidationFraction(0).withSeed(settings.seed())
              .withLayout(InputLayout.SPARSE)).train();
      long bytes = train.cachedBytes() / train.numRows();
      long denseBytes = (long) features * dtype.bytes() + 4;
      String network = features + "-16-" + settings.classes();
      for (TrainConfig.StepEngineKind engine : settings.engines()) {
        TrainConfig config = new TrainConfig().hidden(16).batchSize(batch)
            .epochs(settings.warmupEpochs() + settings.epochs()).dtype(dtype)
            .seed(settings.seed()).stepEngine(engine);
        TimingListener timing = new TimingListener(settings.warmupEpochs());
        TrainResult r = new Trainer(spark, config).fit(train, null, null, timing);
        double seconds = Percentiles.median(timing.epochSeconds());
        double stepMs = Percentiles.median(timing.stepMillis(StepTimings::wallNanos));
        String parts = fmt("broadcast %s, compute %s, aggregate %s, update %s ms",
            median(timing, StepTimings::broadcastNanos), median(timing, StepTimings::computeNanos),
            median(timing, StepTimings::aggregateNanos), median(timing, StepTimings::updateNanos));
        figure.row("wide epoch (" + r.engine + ", batch " + batch + ", " + network + ")",
            percent(density), dtype.optionName(), "-", fmt("%.3f s", seconds), "-");
        figure.summary(fmt("%d rows x %d features, %d non-zeros per row, %s batch %d, network "
                + "%s, %s engine: epoch %.3f s sparse (step %.1f ms median: %s)", settings.rows(),
            features, settings.wideNnz(), dtype.optionName(), batch, network, r.engine, seconds,
            stepMs, parts));
      }
      train.unpersist();
      figure.row("wide cached bytes/row", percent(density), dtype.optionName(),
          denseBytes + " (not built)", Long.toString(bytes),
          fmt("%.5f", bytes / (double) denseBytes));
      figure.summary(fmt("%d rows x %d features, %d non-zeros per row: cached %d bytes/row "
              + "sparse; dense would need %d (%.1f GiB)", settings.rows(), features,
          settings.wideNnz(), bytes, denseBytes, denseBytes * (double) settings.rows() / (1L << 30)));
    } finally {
      frame.unpersist();
    }
  }

  /** Part (a) for one dtype. */
  private void kernel(Dtype dtype) {
    MLP mlp = new MLP(settings.features(), settings.hidden(), settings.classes(),
        Activation.RELU, Loss.CROSS_ENTROPY);
    double[] p64 = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, settings.seed());
    double previousDensity = 0;
    double previousRatio = 0;
    double crossover = Double.NaN;
    for (double density : KERNEL_DENSITIES) {
      Batch b = Batch.random(KERNEL_ROWS, settings.features(), settings.classes(), density,
          settings.seed(), true);
      double[] ms = dtype == Dtype.FLOAT32 ? time32(mlp, p64, b) : time64(mlp, p64, b);
      double ratio = ms[1] / ms[0];
      figure.row("kernel", percent(density), dtype.optionName(), fmt("%.3f ms", ms[0]),
          fmt("%.3f ms", ms[1]), fmt("%.2f", ratio));
      if (Double.isNaN(crossover) && ratio >= 1 && previousDensity > 0 && previousRatio < 1) {
        crossover = previousDensity
            + (1 - previousRatio) / (ratio - previousRatio) * (density - previousDensity);
      }
      previousDensity = density;
      previousRatio = ratio;
    }
    figure.summary(Double.isNaN(crossover)
        ? fmt("%s kernel: no crossover on the grid (sparse/dense %.2f at %s)", dtype.optionName(),
            previousRatio, percent(previousDensity))
        : fmt("%s kernel (%d-row batch, %d features): sparse faster below %s density",
            dtype.optionName(), KERNEL_ROWS, settings.features(), percent(crossover)));
  }

  private double[] time32(MLP mlp, double[] p64, Batch b) {
    float[] params = new float[p64.length];
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) p64[i];
    }
    float[] dense = new float[b.dense.length];
    float[] values = new float[b.values.length];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (float) b.dense[i];
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) b.values[i];
    }
    SparseRows s = SparseRows.of32(b.rows, b.cols, b.ptr, b.idx, values, null);
    Float32Kernel k = new Float32Kernel(mlp, b.rows);
    float[] grad = new float[params.length];
    double denseMs = millis(() -> k.forwardBackward(params, dense, 0, b.rows, b.labels, null, grad));
    double sparseMs = millis(() -> k.forwardBackward(params, s, 0, b.rows, b.labels, null, grad));
    return new double[] {denseMs, sparseMs};
  }

  private double[] time64(MLP mlp, double[] params, Batch b) {
    SparseRows s = SparseRows.of64(b.rows, b.cols, b.ptr, b.idx, b.values, null);
    Float64Kernel k = new Float64Kernel(mlp, b.rows);
    double[] grad = new double[params.length];
    double denseMs = millis(() -> k.forwardBackward(params, b.dense, 0, b.rows, b.labels, null,
        grad));
    double sparseMs = millis(() -> k.forwardBackward(params, s, 0, b.rows, b.labels, null, grad));
    return new double[] {denseMs, sparseMs};
  }

  /** Mean ms per call over about {@code gemm-millis} ms, after warm-up calls. */
  private double millis(Runnable call) {
    for (int i = 0; i < 3; i++) {
      call.run();
    }
    return 1e3 * GemmTimer.timeCalls(call, settings.gemmMillis());
  }

  private static String median(TimingListener timing,
      java.util.function.ToLongFunction<io.sparkmlp.train.StepTimings> part) {
    double[] ms = timing.stepMillis(part);
    return ms.length == 0 ? "n/a" : fmt("%.2f", Percentiles.median(ms));
  }

  /** Part (b): both layouts of one synthetic set. */
  private void epochs(double density) {
    org.apache.spark.sql.Dataset<Row> frame = frame(density, settings.features());
    try {
      Dtype dtype = settings.dtypes().get(0);
      int batch = settings.batches()[settings.batches().length / 2];
      double[] seconds = new double[2];
      long[] bytes = new long[2];
      for (InputLayout layout : new InputLayout[] {InputLayout.DENSE, InputLayout.SPARSE}) {
        Dataset train = DataFrameSource.load(frame, "features", "label", Task.CLASSIFICATION,
            LoadOptions.defaults().withDtype(dtype).withPartitions(partitions)
                .withValidationFraction(0).withSeed(settings.seed()).withLayout(layout)).train();
        TrainConfig config = new TrainConfig().hidden(settings.hidden()).batchSize(batch)
            .epochs(settings.warmupEpochs() + settings.epochs()).dtype(dtype)
            .seed(settings.seed()).stepEngine(settings.engines().get(0));
        TimingListener timing = new TimingListener(settings.warmupEpochs());
        TrainResult r = new Trainer(spark, config).fit(train, null, null, timing);
        int i = layout == InputLayout.DENSE ? 0 : 1;
        seconds[i] = Percentiles.median(timing.epochSeconds());
        bytes[i] = train.cachedBytes() / train.numRows();
        train.unpersist();
        if (i == 1) {
          figure.row("epoch (" + r.engine + ", batch " + batch + ")", percent(density),
              dtype.optionName(), fmt("%.3f s", seconds[0]), fmt("%.3f s", seconds[1]),
              fmt("%.2f", seconds[1] / seconds[0]));
        }
      }
      figure.row("cached bytes/row", percent(density), dtype.optionName(),
          Long.toString(bytes[0]), Long.toString(bytes[1]), fmt("%.2f", bytes[1] / (double) bytes[0]));
      figure.summary(fmt("%s rows x %d features at %s density, %s batch %d: epoch %.3f s dense, "
              + "%.3f s sparse (%.2fx); cached %d vs %d bytes/row", settings.rows(),
          settings.features(), percent(density), dtype.optionName(), batch, seconds[0],
          seconds[1], seconds[1] / seconds[0], bytes[0], bytes[1]));
    } finally {
      frame.unpersist();
    }
  }

  /** The synthetic set at {@code density}: sparse vectors, label from the row's indices. */
  private org.apache.spark.sql.Dataset<Row> frame(double density, int features) {
    int classes = settings.classes();
    long seed = settings.seed();
    JavaRDD<Row> rows = spark.range(0, settings.rows(), 1, partitions).javaRDD().map(id -> {
      Batch one = Batch.random(1, features, classes, density,
          seed ^ (id * 0x9E3779B97F4A7C15L), false);
      return RowFactory.create((double) one.labels[0], Vectors.sparse(features,
          java.util.Arrays.copyOf(one.idx, one.ptr[1]),
          java.util.Arrays.copyOf(one.values, one.ptr[1])));
    });
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    org.apache.spark.sql.Dataset<Row> df =
        spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_AND_DISK());
    df.count();
    return df;
  }

  /** Random rows at a density, in CSR and dense form; label = (sum of column ids) mod classes. */
  private static final class Batch {
    final int rows;
    final int cols;
    final int[] ptr;
    final int[] idx;
    final double[] values;
    final double[] dense;
    final int[] labels;

    private Batch(int rows, int cols, int[] ptr, int[] idx, double[] values, double[] dense,
        int[] labels) {
      this.rows = rows;
      this.cols = cols;
      this.ptr = ptr;
      this.idx = idx;
      this.values = values;
      this.dense = dense;
      this.labels = labels;
    }

    /**
     * Bernoulli(density) positions drawn by geometric gaps, so a row costs its non-zeros, not
     * its width; {@code withDense} also fills the dense copy.
     */
    static Batch random(int rows, int cols, int classes, double density, long seed,
        boolean withDense) {
      SplittableRandom rng = new SplittableRandom(seed);
      int[] ptr = new int[rows + 1];
      List<Integer> idx = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      double[] dense = withDense ? new double[rows * cols] : null;
      int[] labels = new int[rows];
      double logMiss = Math.log1p(-Math.min(density, 1 - 1e-12));
      for (int r = 0; r < rows; r++) {
        long sum = 0;
        for (long j = gap(rng, logMiss); j < cols; j += 1 + gap(rng, logMiss)) {
          double v = 1.0 - rng.nextDouble();
          idx.add((int) j);
          val.add(v);
          if (dense != null) {
            dense[r * cols + (int) j] = v;
          }
          sum += j;
        }
        ptr[r + 1] = idx.size();
        labels[r] = (int) (sum % classes);
      }
      return new Batch(rows, cols, ptr, idx.stream().mapToInt(Integer::intValue).toArray(),
          val.stream().mapToDouble(Double::doubleValue).toArray(), dense, labels);
    }

    /** Zeros before the next non-zero: geometric with success probability the density. */
    private static long gap(SplittableRandom rng, double logMiss) {
      return (long) Math.floor(Math.log(1.0 - rng.nextDouble()) / logMiss);
    }
  }

  private static String percent(double f) {
    return fmt(f < 0.01 ? "%.2g%%" : "%.3g%%", 100 * f);
  }

  private static String join(int[] sizes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      sb.append(i > 0 ? "-" : "").append(sizes[i]);
    }
    return sb.toString();
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
