package io.sparkmlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.cli.report.ClassifierScores;
import io.sparkmlp.cli.report.TrainingReport;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.io.AtomicFiles;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.OutputPolicy;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Summary;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code train}: loads and validates the data, trains, and writes {@code model.safetensors},
 * {@code metrics.jsonl}, {@code config.properties} (the effective options, itself a job file)
 * and the report into {@code --out}, under the {@link OutputPolicy}: checked before the data are
 * read, an earlier training output replaced, anything else only with {@code --overwrite}.
 */
final class TrainCommand {
  static final String NAME = "train";
  static final String MODEL_FILE = ModelFile.FILE_NAME;
  static final String CONFIG_FILE = "config.properties";
  /** Every file train writes into {@code --out}. */
  private static final Set<String> OUTPUT_FILES = outputFiles();
  /** Options whose paths the data loader globs: written to the job file as literal patterns. */
  private static final List<String> GLOBBED = List.of("data", "validation-data");
  /** Model metadata key of the training data's label columns (a JSON array). */
  static final String LABEL_COLUMNS = "label_columns";
  /** Model metadata key of the feature columns' names, in feature order (a JSON array). */
  static final String FEATURE_NAMES = "feature_names";
  private static final List<OptionSpec> SPECS = TrainOptions.specs(true);

  private TrainCommand() {}

  static List<OptionSpec> specs() {
    return SPECS;
  }

  static TrainResult run(SparkSession spark, ParsedOptions o, PrintStream out) throws IOException {
    Task task = TrainOptions.task(o);
    TrainConfig config = TrainOptions.trainConfig(o);
    LoadOptions load = TrainOptions.loadOptions(o);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Checkpointer checkpointer = TrainOptions.checkpointer(o, conf);
    OutputPolicy.Output target = output(o, conf);
    Path outDir = new Path(o.getString("out"));

    spark.sparkContext().setJobDescription("load " + o.getString("data"));
    Split split = DataLoader.load(spark, TrainOptions.dataSpec(o, "data", task), load);
    Dataset train = split.train();
    Dataset validation = split.validation();
    if (o.has("validation-data")) {
      spark.sparkContext().setJobDescription("load " + o.getString("validation-data"));
      DataSpec spec = TrainOptions.dataSpec(o, "validation-data", task);
      if (train.featureNames() != null) {
        spec = spec.withFeatureNames(List.of(train.featureNames()));
      }
      validation = DataLoader.loadLike(spark, spec, train, load.partitions(), true,
          load.layout());
    }
    spark.sparkContext().setJobDescription(null);
    report(out, o, train, validation);

    target.begin(Set.of(MODEL_FILE, CONFIG_FILE));
    Trainer trainer = new Trainer(spark, config).withCheckpoints(checkpointer);
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
        extra(config, TrainOptions.dataSpec(o, "data", task).labelCols(), train.featureNames()));
    Path modelPath = new Path(outDir, MODEL_FILE);
    ModelFile.write(model, modelPath, conf);
    byte[] effective = effectiveConfig(o, conf);
    AtomicFiles.write(new Path(outDir, CONFIG_FILE), conf, effective);
    summarize(out, result, modelPath, mlp);
    try {
      Path reportPath = writeReport(spark, o, result, config, metrics, train, validation,
          new String(effective, StandardCharsets.UTF_8), modelPath);
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
        .file(MODEL_FILE).file(MetricsLog.EPOCHS_FILE).file(CONFIG_FILE);
    if (o.getInt("log-every") > 0) {
      report.file(MetricsLog.STEPS_FILE);
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
   * Metadata stored with the model: the training configuration, the label columns and the
   * feature columns' names where the data had them (all JSON), so predict and evaluate know
   * which columns of a CSV or Parquet file are labels and which feature each column is.
   */
  static Map<String, String> extra(TrainConfig config, List<String> labelColumns,
      String[] featureNames) {
    Map<String, String> extra = new LinkedHashMap<>();
    try {
      ObjectMapper json = new ObjectMapper();
      extra.put("train_config", json.writeValueAsString(config.describe()));
      extra.put(LABEL_COLUMNS, json.writeValueAsString(labelColumns));
      if (featureNames != null) {
        extra.put(FEATURE_NAMES, json.writeValueAsString(featureNames));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    extra.put("created_by", "spark-mlp");
    return extra;
  }

  /**
   * Declares the run's inputs and outputs and checks them before any data is read: {@code --out}
   * (its own entries are the files train writes, and the checkpoint directory when it lies
   * there) and {@code --checkpoint-dir}.
   */
  private static OutputPolicy.Output output(ParsedOptions o, Configuration conf)
      throws IOException {
    OutputPolicy policy = OutputOptions.policy(o, conf, NAME);
    for (String data : GLOBBED) {
      if (o.has(data)) {
        policy.input("--" + data, o.getString(data), true);
      }
    }
    if (o.has("init-weights")) {
      policy.input("--init-weights", o.getString("init-weights"), false);
    }
    Set<String> own = new HashSet<>(OUTPUT_FILES);
    if (o.has("checkpoint-dir")) {
      policy.input("--checkpoint-dir", o.getString("checkpoint-dir"), false);
      Path ckpt = new Path(o.getString("checkpoint-dir"));
      FileSystem fs = ckpt.getFileSystem(conf);
      if (fs.makeQualified(ckpt).getParent()
          .equals(fs.makeQualified(new Path(o.getString("out"))))) {
        own.add(ckpt.getName());
      }
    }
    OutputPolicy.Output target = policy.directory("--out", o.getString("out"), own::contains);
    if (o.has("checkpoint-dir")) {
      policy.writableDirectory("--checkpoint-dir", o.getString("checkpoint-dir"));
    }
    return target;
  }

  private static Set<String> outputFiles() {
    Set<String> files = new HashSet<>(List.of(MODEL_FILE, CONFIG_FILE, MetricsLog.EPOCHS_FILE,
        MetricsLog.STEPS_FILE));
    files.addAll(TrainingReport.FILES);
    return Set.copyOf(files);
  }

  /**
   * The effective options as a UTF-8 job file that re-runs the run ({@link
   * ParsedOptions#effective()}); data paths are written as patterns that Hadoop's globbing
   * matches only to the files read now.
   */
  static byte[] effectiveConfig(ParsedOptions o, Configuration conf) throws IOException {
    StringBuilder sb = new StringBuilder("# effective options of this training run (UTF-8); "
        + "re-run with: ./submit.sh train --config " + CONFIG_FILE + "\n");
    for (Map.Entry<String, String> e : o.effective().entrySet()) {
      String value = GLOBBED.contains(e.getKey())
          ? DataLoader.literalPattern(e.getValue(), conf) : e.getValue();
      sb.append(e.getKey()).append('=').append(escape(value)).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A value as {@link java.util.Properties#load} reads it back. */
  private static String escape(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    for (char c : v.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\f' -> sb.append("\\f");
        default -> sb.append(c);
      }
    }
    return sb.toString();
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
