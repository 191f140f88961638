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
import io.sparkmlp.io.SavedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Data scored by a saved model (predict, evaluate): read with the model's feature count, class
 * mapping, standardisation and dtype, so a feature-count mismatch is an error naming the file.
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

  /**
   * The data a model scores, read like its training data: with {@code --label-col} absent, the
   * label columns the model was trained with (recorded in its metadata) are the labels.
   */
  static Dataset load(SparkSession spark, ParsedOptions o, SavedModel model, boolean labels) {
    Task task = model.isClassifier() ? Task.CLASSIFICATION : Task.REGRESSION;
    Dataset reference = Dataset.schemaOnly(model.mlp().numInputs(), task, model.dtype(),
        model.classLabels(), model.targetNames(), model.featureMean(), model.featureStd());
    DataSpec spec = TrainOptions.dataSpec(o, "data", task);
    String trainedLabels = model.extra().get(TrainCommand.LABEL_COLUMNS);
    if (!o.has("label-col") && trainedLabels != null) {
      spec = spec.withLabelCols(labelColumns(trainedLabels));
    }
    spark.sparkContext().setJobDescription("load " + o.getString("data"));
    return DataLoader.loadLike(spark, spec, reference, o.getInt("partitions"), labels,
        TrainOptions.inputLayout(o));
  }

  private static List<String> labelColumns(String json) {
    try {
      return List.of(new ObjectMapper().readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("model metadata " + TrainCommand.LABEL_COLUMNS
          + " is not a JSON array of strings: " + json);
    }
  }
}
