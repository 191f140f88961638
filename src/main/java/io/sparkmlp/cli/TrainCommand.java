package io.sparkmlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.Options;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.cli.report.ClassifierScores;
import io.sparkmlp.cli.report.TrainingReport;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.io.AtomicFiles;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Summary;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code train}: loads and validates the data, trains, and writes {@code model.safetensors},
 * {@code metrics.jsonl} and {@code config.properties} (the effective options, itself a job file)
 * into {@code --out}.
 */
final class TrainCommand {
  static final String NAME = "train";
  static final String MODEL_FILE = "model.safetensors";
  /** Model metadata key of the training data's label columns (a JSON array). */
  static final String LABEL_COLUMNS = "label_columns";
  private static final List<OptionSpec> SPECS = TrainOptions.specs(true);

  private TrainCommand() {}

  static List<OptionSpec> specs() {
    return SPECS;
  }

  /** Parses the options (before Spark starts, so mistakes are reported at once). */
  static ParsedOptions parse(String[] args) {
    return Options.parse(SPECS, args);
  }

  static TrainResult run(SparkSession spark, ParsedOptions o, PrintStream out) throws IOException {
    Task task = TrainOptions.task(o);
    TrainConfig config = TrainOptions.trainConfig(o);
    LoadOptions load = TrainOptions.loadOptions(o);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path outDir = new Path(o.getString("out"));

    spark.sparkContext().setJobDescription("load " + o.getString("data"));
    Split split = DataLoader.load(spark, TrainOptions.dataSpec(o, "data", task), load);
    Dataset train = split.train();
    Dataset validation = split.validation();
    if (o.has("validation-data")) {
      spark.sparkContext().setJobDescription("load " + o.getString("validation-data"));
      validation = DataLoader.loadLike(spark, TrainOptions.dataSpec(o, "validation-data", task),
          train, load.partitions(), true, load.layout());
    }
    spark.sparkContext().setJobDescription(null);
    report(out, o, train, validation);

    Trainer trainer = new Trainer(spark, config)
        .withCheckpoints(TrainOptions.checkpointer(o, conf));
    MLP mlp = trainer.network(train);
    double[] init = o.has("init-weights")
        ? ModelFile.readParameters(new Path(o.getString("init-weights")), conf, mlp)
        : null;
    if (!o.getBoolean("quiet")) {
      out.print(Summary.table(mlp, config.dtype()));
    }
    MetricsLog metrics = new MetricsLog(outDir, conf, mlp.loss(), o.getInt("log-every"));
    TrainingListener progress = o.getBoolean("quiet") ? TrainingListener.NONE
        : ConsoleProgress.forConsole(out, mlp.loss(), o.getInt("log-every"));
    TrainResult result;
    try {
      result = trainer.fit(train, validation, init, both(progress, metrics));
    } finally {
      metrics.flush();
    }
    SavedModel model = new SavedModel(mlp, config.dtype(), result.params, train.classLabels(),
        train.targetNames(), train.featureMean(), train.featureStd(),
        extra(config, TrainOptions.dataSpec(o, "data", task).labelCols()));
    Path modelPath = new Path(outDir, MODEL_FILE);
    ModelFile.write(model, modelPath, conf);
    byte[] effective = effectiveConfig(o);
    AtomicFiles.write(new Path(outDir, "config.properties"), conf, effective);
    summarize(out, result, modelPath, mlp);
    try {
      Path reportPath = writeReport(spark, o, result, config, metrics, train, validation,
          new String(effective, StandardCharsets.ISO_8859_1), modelPath);
      out.println("report: " + reportPath);
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      // the model and metrics are saved; a report that cannot be drawn (say, no fonts on a
      // server) must not turn a finished training run into a failure
      out.println("warning: no training report: " + e);
    }
    split.unpersist();
    if (validation != null) {
      validation.unpersist();
    }
    return result;
  }

  /** Writes report.html and its plots next to the model and returns the report's path. */
  private static Path writeReport(SparkSession spark, ParsedOptions o, TrainResult result,
      TrainConfig config, MetricsLog metrics, Dataset train, Dataset validation,
      String effective, Path modelPath) throws IOException {
    TrainingReport report = new TrainingReport(result, config.dtype(), effective)
        .steps(metrics.steps()).fact("model file", modelPath.toString())
        .fact("training data", o.getString("data") + " (" + train.numRows() + " rows)")
        .file(MODEL_FILE).file("metrics.jsonl").file("config.properties");
    if (o.getInt("log-every") > 0) {
      report.file("steps.jsonl");
    }
    if (validation != null && train.classLabels() != null) {
      MLP mlp = result.mlp;
      report.validationConfusion(ClassifierScores.of(spark, mlp, config.dtype(), result.params,
          validation, "report: score the validation set"), train.classLabels());
    }
    return report.write(modelPath.getParent(), spark.sparkContext().hadoopConfiguration());
  }

  private static void report(PrintStream out, ParsedOptions o, Dataset train, Dataset validation) {
    if (o.getBoolean("quiet")) {
      return;
    }
    out.printf(Locale.ROOT, "data: %s, %s%n", train, train.memorySummary());
    if (validation != null) {
      out.printf(Locale.ROOT, "validation: %d rows%n", validation.numRows());
    }
    if (train.skippedRows() > 0) {
      out.printf(Locale.ROOT, "skipped %d invalid rows (--on-invalid-row skip)%n",
          train.skippedRows());
    }
  }

  private static void summarize(PrintStream out, TrainResult r, Path modelPath, MLP mlp) {
    EpochMetrics last = r.history.get(r.history.size() - 1);
    EpochMetrics kept = r.stoppedEarly ? r.history.get(r.bestEpoch - 1) : last;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "done in %.1f s: %d epochs%s; model of epoch %d: loss %.4f", r.seconds,
        r.history.size(), r.stoppedEarly ? " (stopped early)" : "", kept.epoch, kept.trainLoss));
    if (Double.isFinite(kept.valLoss)) {
      sb.append(String.format(Locale.ROOT, ", val_loss %.4f", kept.valLoss));
      sb.append(mlp.loss() == io.sparkmlp.nn.Loss.CROSS_ENTROPY
          ? String.format(Locale.ROOT, ", val_acc %.2f%%", 100 * kept.valMetric)
          : String.format(Locale.ROOT, ", val_rmse %.4f, val_r2 %.4f", kept.valMetric, kept.valR2));
      sb.append(String.format(Locale.ROOT, " (lowest val_loss at epoch %d)", r.bestEpoch));
    }
    sb.append("\nmodel: ").append(modelPath);
    out.println(sb);
  }

  /**
   * Metadata stored with the model: the training configuration and the label columns (both
   * JSON), so predict and evaluate know which columns of a CSV or Parquet file are labels.
   */
  static Map<String, String> extra(TrainConfig config, List<String> labelColumns) {
    Map<String, String> extra = new LinkedHashMap<>();
    try {
      ObjectMapper json = new ObjectMapper();
      extra.put("train_config", json.writeValueAsString(config.describe()));
      extra.put(LABEL_COLUMNS, json.writeValueAsString(labelColumns));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    extra.put("created_by", "spark-mlp");
    return extra;
  }

  /** The effective options as a job file that reproduces the run. */
  static byte[] effectiveConfig(ParsedOptions o) {
    StringBuilder sb = new StringBuilder("# effective options of this training run; "
        + "re-run with: ./submit.sh train --config config.properties\n");
    o.effective().forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static TrainingListener both(TrainingListener a, TrainingListener b) {
    return new TrainingListener() {
      @Override
      public void onStart(int epochs, int stepsPerEpoch, long trainRows, String engine) {
        a.onStart(epochs, stepsPerEpoch, trainRows, engine);
        b.onStart(epochs, stepsPerEpoch, trainRows, engine);
      }

      @Override
      public void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {
        a.onStep(epoch, step, globalStep, loss, lr, rows);
        b.onStep(epoch, step, globalStep, loss, lr, rows);
      }

      @Override
      public void onEpoch(EpochMetrics m) {
        a.onEpoch(m);
        b.onEpoch(m);
      }
    };
  }
}
