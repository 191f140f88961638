package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.nn.Softmax;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.train.Scorer;
import java.util.Arrays;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * A trained MLP classifier. {@code transform} scores each partition in stacked batches of
 * {@value BatchScorer#BATCH_ROWS} rows through the BLAS forward pass and appends
 * {@code rawPredictionCol} (the logits, one per class), {@code probabilityCol} (their softmax)
 * and {@code predictionCol}; any of them is left out when its name is set to "".
 *
 * <p><b>Prediction is a label value.</b> Class {@code i} is the {@code i}-th smallest distinct
 * label of the training data ({@link #classLabels()}); the prediction column holds
 * {@code classLabels()[argmax_i p_i]}, e.g. 1, 2 or 3 when the training labels were 1, 2, 3. With
 * the usual labels {@code 0..k-1} this is the class index, as MLlib's classifiers predict.
 * The raw prediction and probability vectors are indexed by class index. With
 * {@code thresholds} set, the class with the largest {@code p_i / t_i} is predicted, as in
 * MLlib.
 *
 * <p>Saved with {@code write().save(path)} as Spark ML metadata plus the CLI's model file
 * {@code path/data/model.safetensors}; {@link #fromModelFile} loads a model the CLI trained.
 */
public final class MlpClassificationModel
    extends ProbabilisticClassificationModel<Vector, MlpClassificationModel>
    implements MlpModel, MLWritable {
  private static final long serialVersionUID = 1L;

  private final MlpParamSet mlpParams;
  private final SavedModel model;
  private final BatchScorer scorer;

  MlpClassificationModel(String uid, SavedModel model) {
    this(PendingUid.hold(uid), model);
  }

  private MlpClassificationModel(PendingUid.Token token, SavedModel model) {
    this.mlpParams = MlpParamSet.forStage(this);
    if (!model.isClassifier()) {
      throw new IllegalArgumentException("the model " + model.mlp() + " is a regression model ("
          + model.mlp().loss().optionName() + " loss); load it with MlpRegressionModel");
    }
    this.model = model;
    this.scorer = new BatchScorer(model);
  }

  /**
   * A Spark ML model from a model file the CLI wrote: {@code path} is the
   * {@code model.safetensors} file or the directory holding it (the CLI's {@code --out}). The
   * architecture params ({@code hiddenLayers}, {@code activation}, {@code dtype},
   * {@code standardize}) are set from the file; the other training params keep their defaults.
   */
  public static MlpClassificationModel fromModelFile(String path) {
    return MlpModelIO.fromModelFile(path, "mlpClassificationModel",
        (uid, m) -> new MlpClassificationModel(uid, m));
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
  public int numClasses() {
    return model.mlp().numOutputs();
  }

  @Override
  public int numFeatures() {
    return model.mlp().numInputs();
  }

  /** The label value of each class index, ascending. */
  public double[] classLabels() {
    return model.classLabels().clone();
  }

  /**
   * How {@code transform} multiplies feature batches: {@code auto} (sparse below
   * {@link InputLayout#SPARSE_BELOW} density, per batch), {@code dense} or {@code sparse}. Sparse
   * vectors are never densified on the sparse path.
   */
  public MlpClassificationModel setInputLayout(String value) {
    set(inputLayout(), value);
    return this;
  }

  @Override
  public SavedModel savedModel() {
    return model;
  }

  /** The logits of one row (single-row use; {@code transform} batches). */
  @Override
  public Vector predictRaw(Vector features) {
    BatchScorer.Batch batch = scorer.open(1, InputLayout.parse(getInputLayout()));
    batch.put(0, features);
    return Vectors.dense(batch.forward(1));
  }

  /** Softmax in place (max subtracted first), as the CLI's predict computes it. */
  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] v = ((DenseVector) raw).values();
    Softmax.inPlace(v, 1, v.length);
    return raw;
  }

  /** The predicted label value (see the class comment), honouring {@code thresholds}. */
  @Override
  public double probability2prediction(Vector probability) {
    return model.classLabels()[PredictRows.predictedIndex(probability.toArray(), 0,
        numClasses(), thresholdsOrNull())];
  }

  @Override
  public double raw2prediction(Vector raw) {
    return probability2prediction(raw2probability(raw));
  }

  @Override
  public double predict(Vector features) {
    return raw2prediction(predictRaw(features));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.features(schema, getFeaturesCol(), numFeatures());
    double[] t = thresholdsOrNull();
    if (t != null && t.length != numClasses()) {
      throw new IllegalArgumentException("thresholds has " + t.length + " values, the model has "
          + numClasses() + " classes");
    }
    StructType out = schema;
    if (!getRawPredictionCol().isEmpty()) {
      out = SchemaChecks.append(out,
          new AttributeGroup(getRawPredictionCol(), numClasses()).toStructField());
    }
    if (!getProbabilityCol().isEmpty()) {
      out = SchemaChecks.append(out,
          new AttributeGroup(getProbabilityCol(), numClasses()).toStructField());
    }
    if (!getPredictionCol().isEmpty()) {
      out = SchemaChecks.append(out, isIndexLabels()
          ? NominalAttribute.defaultAttr().withName(getPredictionCol())
              .withNumValues(numClasses()).toStructField()
          : DataTypes.createStructField(getPredictionCol(), DataTypes.DoubleType, false));
    }
    return out;
  }

  /** Whether the labels are exactly 0..k-1, so predictions are also nominal class indices. */
  private boolean isIndexLabels() {
    double[] labels = model.classLabels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Dataset<Row> df = dataset.toDF();
    if (out.length() == df.schema().length()) {
      return df;
    }
    PredictRows f = PredictRows.classifier(scorer, InputLayout.parse(getInputLayout()), df.schema().fieldIndex(getFeaturesCol()),
        getFeaturesCol(), model.classLabels(), thresholdsOrNull(),
        !getRawPredictionCol().isEmpty(), !getProbabilityCol().isEmpty(),
        !getPredictionCol().isEmpty());
    return SchemaChecks.withMetadata(df.mapPartitions(f, Encoders.row(out)), out);
  }

  private double[] thresholdsOrNull() {
    return isDefined(thresholds()) ? getThresholds() : null;
  }

  /**
   * Spark's hook for evaluating a summary; declared here only because Java sees the two
   * covariant Scala declarations it inherits as a clash.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public MlpClassificationModel copy(ParamMap extra) {
    MlpClassificationModel copy = new MlpClassificationModel(uid(), model);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MlpModelIO.Writer(this, model);
  }

  public static MLReader<MlpClassificationModel> read() {
    return new MlpModelIO.Reader<>(MlpClassificationModel.class,
        (uid, m) -> new MlpClassificationModel(uid, m));
  }

  public static MlpClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MlpClassificationModel: uid=" + uid() + ", " + model.mlp() + ", numClasses="
        + numClasses() + ", classLabels=" + Arrays.toString(model.classLabels());
  }
}
