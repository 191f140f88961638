package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.booleanOption;
import static io.sparkmlp.cli.options.OptionSpec.choiceOption;
import static io.sparkmlp.cli.options.OptionSpec.doubleOption;
import static io.sparkmlp.cli.options.OptionSpec.intListOption;
import static io.sparkmlp.cli.options.OptionSpec.intOption;
import static io.sparkmlp.cli.options.OptionSpec.intOrKeywordOption;
import static io.sparkmlp.cli.options.OptionSpec.longOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;
import static io.sparkmlp.cli.options.OptionSpec.stringOption;

import io.sparkmlp.cli.options.IntOrKeyword;
import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.DataFormat;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.InvalidRowPolicy;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.train.CheckpointEvery;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The options of {@code train} (each also a job-file key) and their translation into the
 * trainer's {@link TrainConfig} and the data layer's specs. Hyper-parameter defaults come from
 * {@link TrainConfig}, so they are defined once.
 */
public final class TrainOptions {
  private static final TrainConfig DEFAULTS = new TrainConfig();
  private static final String OUT =
      "output directory: model.safetensors, metrics.jsonl, config.properties";

  private TrainOptions() {}

  /** The data options shared by train, predict and evaluate. */
  static List<OptionSpec> dataOptions(boolean training) {
    List<OptionSpec> specs = new ArrayList<>();
    specs.add(pathOption("data").required().describe(training
        ? "training data: file, directory or glob on any Hadoop file system (.gz too)"
        : "data to score: file, directory or glob on any Hadoop file system (.gz too)"));
    specs.add(choiceOption("format", "libsvm", "csv", "parquet")
        .describe("data format; inferred from the file name when absent"));
    specs.add(stringOption("label-col").defaultValue("label").describe(training
        ? "label column (CSV header / Parquet); for regression a comma list of target columns"
        : "label column(s) (CSV header / Parquet); default: those the model was trained with"));
    specs.add(intOption("num-features").min(0).defaultValue(0)
        .describe("LibSVM feature count; 0 infers it from the largest index"));
    specs.add(intOption("partitions").min(1).defaultValue(2)
        .describe("partitions the data is stacked into (one task each per step)"));
    specs.add(choiceOption("input-layout", "auto", "dense", "sparse").defaultValue("auto")
        .describe("store features dense or sparse (CSR, memory ~ non-zeros; the first layer runs "
            + "sparse x dense); auto: sparse below " + Math.round(100 * InputLayout.SPARSE_BELOW)
            + "% density"));
    specs.add(choiceOption("on-invalid-row", "fail", "skip").defaultValue("fail")
        .describe("fail on the first invalid row (naming file, line and value), or skip and count"));
    return specs;
  }

  /**
   * The train options; {@code forTraining=false} (for {@code summary --config job}) makes
   * {@code --out} optional.
   */
  public static List<OptionSpec> specs(boolean forTraining) {
    List<OptionSpec> specs = dataOptions(true);
    specs.addAll(List.of(
        choiceOption("task", "classification", "regression").defaultValue("classification")
            .describe("classification (integer labels) or regression (real targets)"),
        pathOption("validation-data").describe("separate validation data (same format options)"),
        doubleOption("validation-fraction").atLeast(0).lessThan(1).defaultValue(0.0)
            .describe("fraction of the training rows held out for validation (seeded)"),
        intListOption("hidden").min(1).allowEmpty().defaultValue(DEFAULTS.hidden())
            .describe("hidden layer sizes, e.g. 256,128 (empty: a linear model)"),
        choiceOption("activation", names(Activation.values()))
            .defaultValue(DEFAULTS.activation().optionName()).describe("hidden activation"),
        choiceOption("loss", "cross-entropy", "mse")
            .describe("loss; defaults to cross-entropy for classification, mse for regression"),
        choiceOption("init", "pytorch", "kaiming_uniform", "xavier_uniform")
            .defaultValue(DEFAULTS.weightInit().optionName()).describe("weight initialisation"),
        choiceOption("bias-init", "pytorch", "zeros")
            .defaultValue(DEFAULTS.biasInit().optionName()).describe("bias initialisation"),
        pathOption("init-weights")
            .describe("start from these weights (safetensors state_dict, e.g. from PyTorch)"),
        choiceOption("optimizer", "sgd", "adam", "adamw")
            .defaultValue(DEFAULTS.optimizer().optionName()).describe("optimizer"),
        doubleOption("lr").greaterThan(0).defaultValue(DEFAULTS.lr()).describe("learning rate"),
        doubleOption("momentum").atLeast(0).defaultValue(0.0).describe("SGD momentum"),
        doubleOption("dampening").atLeast(0).defaultValue(0.0).describe("SGD dampening"),
        booleanOption("nesterov").defaultValue(false).describe("SGD Nesterov momentum"),
        doubleOption("weight-decay").atLeast(0).defaultValue(0.0)
            .describe("weight decay (L2 in the gradient for sgd/adam, decoupled for adamw)"),
        doubleOption("beta1").atLeast(0).lessThan(1).defaultValue(0.9).describe("Adam beta1"),
        doubleOption("beta2").atLeast(0).lessThan(1).defaultValue(0.999).describe("Adam beta2"),
        doubleOption("eps").greaterThan(0).defaultValue(1e-8).describe("Adam epsilon"),
        choiceOption("lr-schedule", "constant", "step", "cosine").defaultValue("constant")
            .describe("learning-rate schedule after warm-up"),
        intOption("warmup-steps").min(0).defaultValue(0).describe("linear warm-up steps"),
        intOption("lr-step-epochs").min(1).defaultValue(10)
            .describe("step schedule: epochs between decays"),
        doubleOption("lr-gamma").greaterThan(0).atMost(1).defaultValue(0.1)
            .describe("step schedule: decay factor"),
        intOrKeywordOption("batch-size", "full").min(1).defaultValue(DEFAULTS.batchSize())
            .describe("rows per optimizer step (global, over all partitions), or full"),
        intOption("epochs").min(1).defaultValue(DEFAULTS.epochs()).describe("passes over the data"),
        booleanOption("shuffle").defaultValue(DEFAULTS.shuffle())
            .describe("reshuffle the rows of the batches every epoch (seeded)"),
        booleanOption("standardize").defaultValue(false)
            .describe("scale features to mean 0, std 1 (training statistics, stored in the model)"),
        choiceOption("dtype", "float32", "float64").defaultValue(DEFAULTS.dtype().optionName())
            .describe("compute and model dtype"),
        longOption("seed").defaultValue(DEFAULTS.seed())
            .describe("seed of initialisation, shuffling and the validation split"),
        intOption("early-stopping-patience").min(0).defaultValue(0)
            .describe("stop after N epochs without a lower validation loss, keep the best (0: off)"),
        choiceOption("step-engine", "job", "stage", "auto")
            .defaultValue(DEFAULTS.stepEngine().optionName()).recordedWhenGiven()
            .describe("one Spark job per step, one long-lived stage over RPC (all partitions' "
                + "tasks at once), or stage when it fits"),
        choiceOption("device", "auto", "cpu", "gpu").defaultValue(DEFAULTS.device().optionName())
            .describe("where executors compute: the GPU Spark assigned a task (needs JCuda "
                + "and --gpu), the CPU, or auto (the GPU when assigned and usable, else the CPU)"),
        forTraining
            ? pathOption("out").required().recordedWhenGiven().describe(OUT)
            : pathOption("out").recordedWhenGiven().describe(OUT),
        OutputOptions.overwrite(),
        booleanOption("quiet").defaultValue(false).recordedWhenGiven()
            .describe("print only errors and the final line"),
        intOption("log-every").min(0).defaultValue(0).recordedWhenGiven()
            .describe("also print and record every N steps (0: per epoch only)"),
        pathOption("checkpoint-dir").recordedWhenGiven()
            .describe("write checkpoints here (any Hadoop file system) to resume after a crash"),
        stringOption("checkpoint-every").defaultValue("1e").recordedWhenGiven()
            .describe("checkpoint every N optimizer steps, or every N epochs written Ne"),
        intOption("keep-checkpoints").min(1).defaultValue(3).recordedWhenGiven()
            .describe("newest complete checkpoints kept in --checkpoint-dir"),
        booleanOption("resume").defaultValue(false).neverRecorded()
            .describe("continue from the newest good checkpoint in --checkpoint-dir")));
    return specs;
  }

  static String[] names(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
        .toArray(String[]::new);
  }

  /** The task named by --task, checked against --loss when that is given. */
  public static Task task(ParsedOptions o) {
    Task task = Task.parse(o.getChoice("task"));
    if (o.has("loss")) {
      Loss loss = Loss.parse(o.getChoice("loss"));
      if ((loss == Loss.MSE) != (task == Task.REGRESSION)) {
        throw new io.sparkmlp.cli.options.OptionException("--loss " + loss.optionName()
            + " does not fit --task " + o.getChoice("task")
            + ": use cross-entropy for classification, mse for regression");
      }
    }
    return task;
  }

  public static DataSpec dataSpec(ParsedOptions o, String pathOption, Task task) {
    String format = o.has("format") ? o.getChoice("format") : null;
    List<String> labels = new ArrayList<>();
    for (String s : o.getString("label-col").split(",")) {
      if (!s.isBlank()) {
        labels.add(s.trim());
      }
    }
    return DataSpec.of(o.getString(pathOption))
        .withFormat(format == null ? null : DataFormat.parse(format))
        .withLabelCols(labels)
        .withNumFeatures(o.getInt("num-features"))
        .withTask(task)
        .withOnInvalid(InvalidRowPolicy.parse(o.getChoice("on-invalid-row")));
  }

  public static LoadOptions loadOptions(ParsedOptions o) {
    return LoadOptions.defaults()
        .withDtype(Dtype.parse(o.getChoice("dtype")))
        .withPartitions(o.getInt("partitions"))
        .withValidationFraction(o.has("validation-data") ? 0.0 : o.getDouble("validation-fraction"))
        .withSeed(o.getLong("seed"))
        .withStandardize(o.getBoolean("standardize"))
        .withLayout(inputLayout(o));
  }

  /** {@code --input-layout}. */
  static InputLayout inputLayout(ParsedOptions o) {
    return InputLayout.parse(o.getChoice("input-layout"));
  }

  /**
   * The checkpointer of {@code --checkpoint-dir}, or null without one. It records, besides the
   * trainer's configuration and the data fingerprints, the options that shape the data in ways
   * the data sets do not show, so a resume with any of them changed is refused.
   */
  static Checkpointer checkpointer(ParsedOptions o, Configuration conf) {
    if (!o.has("checkpoint-dir")) {
      for (String needsDir : List.of("resume", "checkpoint-every", "keep-checkpoints")) {
        if (o.has(needsDir)) {
          throw new OptionException("--" + needsDir + " needs --checkpoint-dir");
        }
      }
      return null;
    }
    Map<String, String> dataOptions = new LinkedHashMap<>();
    dataOptions.put("task", o.getChoice("task"));
    dataOptions.put("validation-fraction", Double.toString(o.getDouble("validation-fraction")));
    dataOptions.put("on-invalid-row", o.getChoice("on-invalid-row"));
    dataOptions.put("init-weights", o.has("init-weights") ? o.getString("init-weights") : "");
    CheckpointEvery every;
    try {
      every = CheckpointEvery.parse(o.getString("checkpoint-every"));
    } catch (IllegalArgumentException e) {
      throw new OptionException("--checkpoint-every: " + e.getMessage());
    }
    return new Checkpointer(new Path(o.getString("checkpoint-dir")), conf, every,
        o.getInt("keep-checkpoints"), o.getBoolean("resume"), dataOptions);
  }

  public static TrainConfig trainConfig(ParsedOptions o) {
    IntOrKeyword batch = o.getIntOrKeyword("batch-size");
    return new TrainConfig()
        .hidden(o.getIntList("hidden"))
        .activation(Activation.parse(o.getChoice("activation")))
        .weightInit(WeightInit.parse(o.getChoice("init")))
        .biasInit(BiasInit.parse(o.getChoice("bias-init")))
        .dtype(Dtype.parse(o.getChoice("dtype")))
        .seed(o.getLong("seed"))
        .optimizer(TrainConfig.OptimizerKind.parse(o.getChoice("optimizer")))
        .lr(o.getDouble("lr"))
        .momentum(o.getDouble("momentum"))
        .dampening(o.getDouble("dampening"))
        .nesterov(o.getBoolean("nesterov"))
        .weightDecay(o.getDouble("weight-decay"))
        .beta1(o.getDouble("beta1"))
        .beta2(o.getDouble("beta2"))
        .eps(o.getDouble("eps"))
        .schedule(LrSchedule.Kind.parse(o.getChoice("lr-schedule")))
        .warmupSteps(o.getInt("warmup-steps"))
        .lrStepEpochs(o.getInt("lr-step-epochs"))
        .lrGamma(o.getDouble("lr-gamma"))
        .batchSize(batch.isKeyword() ? TrainConfig.FULL_BATCH : batch.number())
        .epochs(o.getInt("epochs"))
        .shuffle(o.getBoolean("shuffle"))
        .earlyStoppingPatience(o.getInt("early-stopping-patience"))
        .stepEngine(TrainConfig.StepEngineKind.parse(o.getChoice("step-engine")))
        .device(Device.parse(o.getChoice("device")));
  }
}
