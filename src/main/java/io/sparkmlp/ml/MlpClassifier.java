package io.sparkmlp.ml;

import io.sparkmlp.data.Task;
import io.sparkmlp.io.SavedModel;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron classifier trained by spark-mlp's distributed mini-batch trainer
 * (PyTorch-identical maths, bit-reproducible for a given seed and {@code numPartitions}), as a
 * Spark ML estimator that fits into Pipelines.
 *
 * <p>Input: {@code featuresCol} of {@code org.apache.spark.ml.linalg.Vector} (dense or sparse,
 * one size) and a numeric {@code labelCol} of integral values. Labels need not be
 * {@code 0..k-1}: the sorted distinct values become the classes, and the model predicts label
 * values (see {@link MlpClassificationModel}). Hyper-parameters: see {@link MlpParams} and
 * {@link MlpSetters}; they are the CLI's {@code train} options under Spark ML names.
 *
 * <p>Sample weights: {@code weightCol}, a numeric column (finite, {@code >= 0}); the loss of a
 * step is then the weighted mean {@code Σ wᵢ ℓᵢ / Σ wᵢ} of its rows (PyTorch's
 * {@code CrossEntropyLoss(reduction='none')} weighted and divided by the weights' sum), so a
 * row of weight 2 trains as the row written twice, and weight 0 as the row removed.
 */
public final class MlpClassifier
    extends ProbabilisticClassifier<Vector, MlpClassifier, MlpClassificationModel>
    implements MlpSetters<MlpClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final MlpParamSet mlpParams;

  public MlpClassifier() {
    this(Identifiable$.MODULE$.randomUID("mlpClassifier"));
  }

  public MlpClassifier(String uid) {
    this(PendingUid.hold(uid));
  }

  private MlpClassifier(PendingUid.Token token) {
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

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.features(schema, getFeaturesCol(), 0);
    SchemaChecks.label(schema, getLabelCol());
    return super.transformSchema(schema);
  }

  @Override
  public MlpClassificationModel train(Dataset<?> dataset) {
    SavedModel fitted = MlpTraining.fit(dataset, this, getFeaturesCol(), getLabelCol(),
        Task.CLASSIFICATION);
    return new MlpClassificationModel(uid(), fitted);
  }

  @Override
  public MlpClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark ML's reader of a saved estimator (used by {@code Pipeline.load}). */
  public static MLReader<MlpClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static MlpClassifier load(String path) {
    return read().load(path);
  }
}
