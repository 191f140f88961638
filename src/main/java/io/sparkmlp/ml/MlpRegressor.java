package io.sparkmlp.ml;

import io.sparkmlp.data.Task;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.train.Settings;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron regressor (MSE loss) trained by spark-mlp's distributed trainer, as a
 * Spark ML estimator. Features and hyper-parameters as for {@link MlpClassifier}.
 *
 * <p>The {@code labelCol} is numeric (one target) or a vector column (k targets, one network
 * output each, as the CLI's {@code --label-col a,b}; every row's vector of the same size): the
 * model then predicts a vector of k values. The loss is the mean over rows and targets, as
 * PyTorch's {@code MSELoss()}. Sample weights ({@code weightCol}) as for {@link MlpClassifier}:
 * the weighted mean of the squared errors, {@code Σ wᵢ Σⱼ (ŷᵢⱼ − yᵢⱼ)² / (k Σ wᵢ)}.
 */
public final class MlpRegressor extends Regressor<Vector, MlpRegressor, MlpRegressionModel>
    implements MlpSetters<MlpRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final MlpParamSet mlpParams;

  public MlpRegressor() {
    this(Identifiable$.MODULE$.randomUID("mlpRegressor"));
  }

  public MlpRegressor(String uid) {
    this(PendingUid.hold(uid));
  }

  private MlpRegressor(PendingUid.Token token) {
    this.mlpParams = MlpParamSet.forStage(this);
  }

  @Override
  public MlpParamSet mlpParamSet() {
    return mlpParams;
  }

  /** Spark's Params and every training setting's (see {@link MlpParamSet#params}). */
  @Override
  public Param<?>[] params() {
    return MlpParamSet.params(mlpParams, super.params());
  }

  /**
   * Train on {@code (y − μ)/σ} of the training rows' targets; the model folds μ and σ into its
   * last layer, so it predicts (and is saved) in the targets' units. See
   * {@link io.sparkmlp.data.TargetScaling}.
   */
  public MlpRegressor setStandardizeTargets(boolean value) {
    return set(Settings.STANDARDIZE_TARGETS, value);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.features(schema, getFeaturesCol(), 0);
    SchemaChecks.targets(schema, getLabelCol());
    if (schema.apply(getLabelCol()).dataType() instanceof NumericType) {
      return super.transformSchema(schema);
    }
    return getPredictionCol().isEmpty() ? schema : SchemaChecks.append(schema,
        org.apache.spark.sql.types.DataTypes.createStructField(getPredictionCol(),
            org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false));
  }

  /**
   * Spark's {@code Predictor.fit} for a numeric label (it casts the label to double); for a
   * vector of targets, which it cannot cast, the same steps without the cast.
   */
  @Override
  public MlpRegressionModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    if (dataset.schema().apply(getLabelCol()).dataType() instanceof NumericType) {
      return super.fit(dataset);
    }
    return copyValues(train(dataset).setParent(this), ParamMap.empty());
  }

  @Override
  public MlpRegressionModel train(Dataset<?> dataset) {
    SavedModel fitted = MlpTraining.fit(dataset, this, getFeaturesCol(), getLabelCol(),
        Task.REGRESSION);
    return new MlpRegressionModel(uid(), fitted);
  }

  @Override
  public MlpRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark ML's reader of a saved estimator (used by {@code Pipeline.load}). */
  public static MLReader<MlpRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static MlpRegressor load(String path) {
    return read().load(path);
  }
}
