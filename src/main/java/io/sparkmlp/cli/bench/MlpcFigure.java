package io.sparkmlp.cli.bench;

import io.sparkmlp.cli.TrainOptions;
import io.sparkmlp.cli.options.Options;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.Block;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Figure 4: MLlib's {@code MultilayerPerceptronClassifier} on the same data, layers and cores.
 *
 * <p>Seconds per pass on the synthetic set: two fits, of 1 and of {@code --mlpc-iters}
 * iterations; the difference of their times over the difference of their iteration counts
 * leaves out MLPC's one-off costs (input checks, first pass), which the 1-iteration fit shows.
 * An untimed fit on a few rows first keeps class loading and JIT compilation out of both.
 *
 * <p>The race on the sample jobs: the job file is loaded by our {@link DataLoader} (its
 * validation split, standardisation, dtype), and MLPC is given exactly those rows, as class
 * indices and the very feature values our network sees, so both are scored on the same
 * validation rows. MLPC is timed from its fit call to its model; ours from the trainer's start
 * to the end of the first epoch whose validation accuracy reaches MLPC's.
 */
final class MlpcFigure {
  /** Rows of an untimed first fit that loads and compiles MLPC's code before the timed ones. */
  private static final int WARMUP_ROWS = 1000;

  private final SparkSession spark;
  private final BenchSettings settings;
  private final String engine;
  private final Figure fig = new Figure(4, "MLlib MultilayerPerceptronClassifier vs ours",
      "data", "trainer", "setting", "iterations/epochs", "seconds", "accuracy", "ours to reach it");

  MlpcFigure(SparkSession spark, BenchSettings settings) {
    this.spark = spark;
    this.settings = settings;
    this.engine = settings.engines().get(0).name().toLowerCase(Locale.ROOT);
    fig.note("MLPC trains in float64 with L-BFGS on blocks of 128 rows by default; "
        + "s/pass = (t(maxIter k) - t(maxIter 1)) / (iterations(k) - iterations(1))");
  }

  /** MLPC's seconds per L-BFGS iteration on the synthetic frame. */
  void perPass(org.apache.spark.sql.Dataset<Row> frame) {
    int[] layers = layers(settings.features(), settings.hidden(), settings.classes());
    fit(frame.limit(WARMUP_ROWS), new MlpcSetting("l-bfgs", 1, 128), layers);
    double[] one = fit(frame, new MlpcSetting("l-bfgs", 1, 128), layers);
    double[] more = fit(frame, new MlpcSetting("l-bfgs", settings.mlpcIters(), 128), layers);
    double perIteration = (more[0] - one[0]) / Math.max(1, more[1] - one[1]);
    String data = "synthetic " + settings.rows() + "x" + settings.features();
    fig.row(data, "MLPC", "l-bfgs maxIter 1", fmt("%.0f", one[1]), fmt("%.2f", one[0]), "", "");
    fig.row(data, "MLPC", "l-bfgs maxIter " + settings.mlpcIters(), fmt("%.0f", more[1]),
        fmt("%.2f", more[0]), "", "");
    fig.summary(fmt("MLPC %s on %s, %s: %.3f s per iteration (a 1-iteration fit takes %.2f s, "
            + "one-off costs included)", Arrays.toString(layers), data,
        spark.sparkContext().master(), perIteration, one[0]));
  }

  /** The race on one job file (which must have a validation split). */
  void race(String jobFile) {
    List<String> args = new ArrayList<>(List.of("--config", jobFile, "--step-engine", engine));
    if (settings.raceEpochs() > 0) {
      args.addAll(List.of("--epochs", Integer.toString(settings.raceEpochs())));
    }
    ParsedOptions o = Options.parse(TrainOptions.specs(false), args.toArray(new String[0]));
    Task task = TrainOptions.task(o);
    Split split = DataLoader.load(spark, TrainOptions.dataSpec(o, "data", task),
        TrainOptions.loadOptions(o));
    Dataset train = split.train();
    Dataset validation = split.validation();
    if (task != Task.CLASSIFICATION || validation == null) {
      split.unpersist();
      throw new IllegalArgumentException(jobFile + ": the race needs a classification job "
          + "with validation-fraction > 0");
    }
    org.apache.spark.sql.Dataset<Row> trainFrame = frame(train);
    org.apache.spark.sql.Dataset<Row> validationFrame = frame(validation);
    try {
      Trainer trainer = new Trainer(spark, TrainOptions.trainConfig(o));
      int[] layers = trainer.network(train).layerSizes();
      String data = new Path(o.getString("data")).getName() + " ("
          + train.numRows() + " train / " + validation.numRows() + " validation rows)";
      List<double[]> mlpc = new ArrayList<>();
      List<MlpcSetting> used = settings.mlpcSettings();
      for (MlpcSetting s : used) {
        mlpc.add(fitAndScore(trainFrame, validationFrame, s, layers));
      }
      AccuracyTimeline ours = new AccuracyTimeline();
      TrainResult result = trainer.fit(train, validation, null, ours);
      int best = 0;
      for (int i = 0; i < used.size(); i++) {
        double[] m = mlpc.get(i);
        AccuracyTimeline.Point reach = ours.firstReaching(m[2]);
        String reached = reach == null ? "not reached"
            : fmt("%.2f s (epoch %d, %.2f x faster)", reach.seconds(), reach.epoch(),
                m[0] / reach.seconds());
        fig.row(data, "MLPC", used.get(i).toString(), fmt("%.0f", m[1]), fmt("%.2f", m[0]),
            pct(m[2]), reached);
        fig.summary(fmt("%s, %s: MLPC %s reaches %s in %.2f s (%.0f iterations); ours: %s",
            data, Arrays.toString(layers), used.get(i), pct(m[2]), m[0], m[1],
            reached));
        if (m[2] > mlpc.get(best)[2]) {
          best = i;
        }
      }
      AccuracyTimeline.Point last = ours.last();
      fig.row(data, "ours (" + result.engine + ")", "job file", Integer.toString(last.epoch()),
          fmt("%.2f", last.seconds()), pct(last.accuracy()), "");
      fig.summary(fmt("%s: best MLPC setting %s: %s; ours after %d epochs: %s in %.2f s",
          data, used.get(best), pct(mlpc.get(best)[2]), last.epoch(), pct(last.accuracy()),
          last.seconds()));
    } finally {
      trainFrame.unpersist();
      validationFrame.unpersist();
      split.unpersist();
    }
  }

  Figure figure() {
    return fig;
  }

  /** {seconds, iterations} of one MLPC fit. */
  private double[] fit(org.apache.spark.sql.Dataset<Row> frame, MlpcSetting s, int[] layers) {
    long t0 = System.nanoTime();
    MultilayerPerceptronClassificationModel model = s.classifier(layers, settings.seed()).fit(frame);
    return new double[] {(System.nanoTime() - t0) / 1e9, model.summary().totalIterations()};
  }

  /** {seconds, iterations, validation accuracy} of one MLPC fit. */
  private double[] fitAndScore(org.apache.spark.sql.Dataset<Row> train,
      org.apache.spark.sql.Dataset<Row> validation, MlpcSetting s, int[] layers) {
    long t0 = System.nanoTime();
    MultilayerPerceptronClassificationModel model = s.classifier(layers, settings.seed()).fit(train);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(validation));
    return new double[] {seconds, model.summary().totalIterations(), accuracy};
  }

  /** The rows of {@code data} as MLPC's input: class index and the stacked feature values. */
  private org.apache.spark.sql.Dataset<Row> frame(Dataset data) {
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(
        data.blocks().flatMap(MlpcFigure::rows), schema)
        .persist(StorageLevel.MEMORY_AND_DISK());
    df.count();
    return df;
  }

  private static Iterator<Row> rows(Block b) {
    List<Row> rows = new ArrayList<>(b.rows());
    int n = b.numFeatures();
    for (int r = 0; r < b.rows(); r++) {
      double[] x = new double[n];
      if (b.isSparse()) {
        b.sparse().denseRow(r, x, 0);
      } else {
        for (int i = 0; i < n; i++) {
          x[i] = b.x32() != null ? b.x32()[r * n + i] : b.x64()[r * n + i];
        }
      }
      rows.add(RowFactory.create((double) b.labels()[r], Vectors.dense(x)));
    }
    return rows.iterator();
  }

  private static int[] layers(int features, int[] hidden, int classes) {
    int[] layers = new int[hidden.length + 2];
    layers[0] = features;
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = classes;
    return layers;
  }

  private static String pct(double accuracy) {
    return fmt("%.2f %%", 100 * accuracy);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
