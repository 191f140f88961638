package io.sparkmlp.ml;

import io.sparkmlp.data.Task;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron regressor (MSE loss, one real target from the numeric
 * {@code labelCol}) trained by spark-mlp's distributed trainer, as a Spark ML estimator. Features
 * and hyper-parameters as for {@link MlpClassifier}.
 *
 * <p>One target only: Spark's {@code Predictor} contract has a numeric label. Several targets
 * (one network output each) are trained with the CLI ({@code --label-col a,b}). Row weights
 * ({@code weightCol}) are not supported: the loss is the plain mean, as PyTorch's
 * {@code MSELoss()}.
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
  public String uid() {
    return MlpParamSet.uidOf(mlpParams);
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

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.features(schema, getFeaturesCol(), 0);
    SchemaChecks.label(schema, getLabelCol());
    return super.transformSchema(schema);
  }

  @Override
  public MlpRegressionModel train(Dataset<?> dataset) {
    MlpTraining.Fitted fitted = MlpTraining.fit(dataset, this, getFeaturesCol(), getLabelCol(),
        Task.REGRESSION);
    return new MlpRegressionModel(uid(), fitted.model(), fitted.summary());
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
