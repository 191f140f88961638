package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.booleanOption;
import static io.sparkmlp.cli.options.OptionSpec.choiceOption;
import static io.sparkmlp.cli.options.OptionSpec.intOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;
import static io.sparkmlp.cli.options.OptionSpec.stringOption;

import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.DataFormat;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.InvalidRowPolicy;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.Named;
import io.sparkmlp.train.CheckpointEvery;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The options of {@code train} (each also a job-file key): the training {@link Settings}, whose
 * options derive from their table entries ({@link SettingOptions}), and the options of the
 * command itself (data, task, outputs, logging, checkpoints); and their translation into the
 * trainer's {@link TrainConfig} and the data layer's specs.
 */
public final class TrainOptions {
  private static final String OUT =
      "output directory: model.safetensors, metrics.jsonl, config.properties";

  private TrainOptions() {}

  /** The data options shared by train, predict and evaluate. */
  static List<OptionSpec> dataOptions(boolean training) {
    List<OptionSpec> specs = new ArrayList<>();
    specs.add(pathOption("data").required().describe(training
        ? "training data: file, directory or glob on any Hadoop file system (.gz too)"
        : "data to score: file, directory or glob on any Hadoop file system (.gz too)"));
    specs.add(choiceOption("format", names(DataFormat.class))
        .describe("data format; inferred from the file name when absent"));
    specs.add(stringOption("label-col").defaultValue("label").describe(training
        ? "label column (CSV header / Parquet); for regression a comma list of target columns"
        : "label column(s) (CSV header / Parquet); default: those the model was trained with"));
    specs.add(intOption("num-features").min(0).defaultValue(0)
        .describe("LibSVM feature count; 0 infers it from the largest index"));
    specs.add(SettingOptions.spec(Settings.PARTITIONS));
    specs.add(SettingOptions.spec(Settings.INPUT_LAYOUT));
    specs.add(choiceOption("on-invalid-row", names(InvalidRowPolicy.class))
        .defaultValue(InvalidRowPolicy.FAIL.optionName())
        .describe("fail on the first invalid row (naming file, line and value), or skip and count"));
    return specs;
  }

  /**
   * The train options: the data options, the task, every other training setting in table order,
   * then outputs, logging and checkpoints. {@code forTraining=false} (for
   * {@code summary --config job}) makes {@code --out} optional.
   */
  public static List<OptionSpec> specs(boolean forTraining) {
    List<OptionSpec> specs = dataOptions(true);
    specs.add(choiceOption("task", names(Task.class))
        .defaultValue(Task.CLASSIFICATION.optionName())
        .describe("classification (integer labels) or regression (real targets)"));
    specs.add(choiceOption("loss", names(Loss.class))
        .describe("loss; defaults to cross-entropy for classification, mse for regression"));
    specs.add(pathOption("validation-data")
        .describe("separate validation data (same format options)"));
    specs.addAll(SettingOptions.specsBesides(specs));
    specs.addAll(List.of(
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

  private static <E extends Enum<E> & Named> String[] names(Class<E> type) {
    return Named.names(type).toArray(String[]::new);
  }

  /** The task named by --task, checked against --loss when that is given. */
  public static Task task(ParsedOptions o) {
    Task task = Task.parse(o.getChoice("task"));
    if (o.has("loss")) {
      Loss loss = Loss.parse(o.getChoice("loss"));
      if ((loss == Loss.MSE) != (task == Task.REGRESSION)) {
        throw new OptionException("--loss " + loss.optionName()
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

  /**
   * How the training data are loaded: from the same setting values as {@link #trainConfig}, so
   * both get one dtype and seed; no split when {@code --validation-data} is given.
   */
  public static LoadOptions loadOptions(ParsedOptions o) {
    LoadOptions load = Settings.loadOptions(SettingOptions.values(o));
    return o.has("validation-data") ? load.withValidationFraction(0.0) : load;
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

  /** The trainer's configuration: every trainer setting's option. */
  public static TrainConfig trainConfig(ParsedOptions o) {
    return TrainConfig.from(SettingOptions.values(o));
  }
}
