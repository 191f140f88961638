package io.sparkmlp.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.data.DataFrameSource;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.train.Setting;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The fit shared by both estimators: the DataFrame is loaded by {@link DataFrameSource} with
 * the params' {@link MlpParams#toLoadOptions() load options}, trained by {@link Trainer} with
 * their {@link MlpParams#toTrainConfig() configuration}, and packed into the same
 * {@link SavedModel} the CLI writes. Nothing of the training itself is re-implemented here.
 */
final class MlpTraining {
  private MlpTraining() {}

  /** The trained model, its fit's summary in its metadata ({@link MlpTrainingSummary#KEY}). */
  static SavedModel fit(org.apache.spark.sql.Dataset<?> dataset, MlpParams params,
      String featuresCol, String labelCol, Task task) {
    TrainConfig config = params.toTrainConfig();
    String indicator = params.getValidationIndicatorCol();
    if (config.earlyStoppingPatience() > 0 && params.getValidationFraction() == 0
        && indicator == null) {
      throw new IllegalArgumentException("earlyStoppingPatience "
          + config.earlyStoppingPatience() + " needs validationFraction > 0 or a "
          + "validationIndicatorCol");
    }
    SparkSession spark = dataset.sparkSession();
    Split split = DataFrameSource.load(dataset.toDF(), featuresCol, labelCol,
        params.getWeightCol(), indicator, task, params.toLoadOptions());
    if (config.earlyStoppingPatience() > 0 && split.validation() == null) {
      split.unpersist();
      throw new IllegalArgumentException("earlyStoppingPatience "
          + config.earlyStoppingPatience() + " needs validation rows, but validationIndicatorCol '"
          + indicator + "' is true in no row");
    }
    try {
      Dataset train = split.train();
      Trainer trainer = new Trainer(spark, config);
      MLP mlp = trainer.network(train);
      double[] init = initialWeights(spark, params.getInitWeights(), mlp);
      TrainResult result = trainer.fit(train, split.validation(), init, TrainingListener.NONE);
      MlpTrainingSummary summary = new MlpTrainingSummary(result, task == Task.CLASSIFICATION,
          effectiveSettings(params));
      Map<String, String> extra = extra(config);
      extra.put(MlpTrainingSummary.KEY, summary.toJson());
      return trainer.savedModel(result, train, extra);
    } finally {
      split.unpersist();
    }
  }

  private static double[] initialWeights(SparkSession spark, String path, MLP mlp) {
    if (path == null) {
      return null;
    }
    try {
      return ModelFile.readParameters(new Path(path), spark.sparkContext().hadoopConfiguration(),
          mlp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read initWeights " + path + ": " + e.getMessage(), e);
    }
  }

  /** Every setting's value as the fit used it, by Param name, and the indicator column. */
  private static Map<String, String> effectiveSettings(MlpParams params) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Setting<?> s : Settings.ALL) {
      String v = formatted(params, s);
      if (v != null) {
        m.put(s.paramName(), v);
      }
    }
    if (params.getValidationIndicatorCol() != null) {
      m.put("validationIndicatorCol", params.getValidationIndicatorCol());
    }
    return m;
  }

  private static <T> String formatted(MlpParams params, Setting<T> s) {
    T v = params.get(s);
    return v == null ? null : s.format(v);
  }

  /** The model file's extra metadata: the configuration as JSON, as the CLI stores it. */
  private static Map<String, String> extra(TrainConfig config) {
    Map<String, String> extra = new LinkedHashMap<>();
    try {
      extra.put("train_config", new ObjectMapper().writeValueAsString(config.describe()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    extra.put("created_by", "spark-mlp (Spark ML)");
    return extra;
  }
}
