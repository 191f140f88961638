package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.pathOption;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.Task;
import io.sparkmlp.io.OutputPolicy;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.train.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Data scored by a saved model (predict, evaluate): read with the model's feature count, class
 * mapping, standardisation and dtype, so a feature-count mismatch is an error naming the file;
 * CSV and Parquet feature columns are matched to the model by name.
 */
final class ScoringData {
  private ScoringData() {}

  /** --model plus the shared data options. */
  static List<OptionSpec> options() {
    List<OptionSpec> specs = new ArrayList<>();
    specs.add(pathOption("model").required()
        .describe("the model: model.safetensors or the training output directory"));
    specs.addAll(TrainOptions.dataOptions(false));
    return specs;
  }

  /** The output policy of a scoring command, its data and model declared as inputs. */
  static OutputPolicy policy(ParsedOptions o, Configuration conf, String command)
      throws IOException {
    return OutputOptions.policy(o, conf, command)
        .input("--data", o.getString("data"), true)
        .input("--model", o.getString("model"), false);
  }

  /**
   * The data a model scores, read like its training data: with {@code --label-col} absent, the
   * label columns the model was trained with (recorded in its metadata) are the labels; CSV and
   * Parquet feature columns are matched by the names the model recorded, LibSVM (and data
   * for a model without names) by position. Prints which matching was used.
   */
  static Dataset load(SparkSession spark, ParsedOptions o, SavedModel model, boolean labels,
      PrintStream out) {
    Task task = model.isClassifier() ? Task.CLASSIFICATION : Task.REGRESSION;
    Dataset reference = Dataset.schemaOnly(model.mlp().numInputs(), task, model.dtype(),
        model.classLabels(), model.targetNames(), model.featureMean(), model.featureStd());
    DataSpec spec = TrainOptions.dataSpec(o, "data", task);
    List<String> trainedLabels = stringList(model, TrainCommand.LABEL_COLUMNS);
    if (!o.has("label-col") && trainedLabels != null) {
      spec = spec.withLabelCols(trainedLabels);
    }
    List<String> names = stringList(model, TrainCommand.FEATURE_NAMES);
    spark.sparkContext().setJobDescription("load " + o.getString("data"));
    Dataset data = DataLoader.loadLike(spark, spec.withFeatureNames(names), reference,
        SettingOptions.value(o, Settings.PARTITIONS), labels,
        SettingOptions.value(o, Settings.INPUT_LAYOUT));
    out.println(names != null && data.featureNames() != null
        ? "features matched by name (" + names.size() + " columns)"
        : "features matched by position: " + (names == null
            ? "the model records no feature names (trained on LibSVM or vectors)"
            : "the data's features have no names (LibSVM or a vector column)"));
    return data;
  }

  /** A model metadata entry that holds a JSON array of strings, or null when absent. */
  private static List<String> stringList(SavedModel model, String key) {
    String json = model.extra().get(key);
    if (json == null) {
      return null;
    }
    try {
      return List.of(new ObjectMapper().readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("model metadata " + key
          + " is not a JSON array of strings: " + json);
    }
  }
}
