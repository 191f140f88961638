package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.io.SavedModel;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained MLP regressor: {@code transform} appends {@code predictionCol} (a double, or a
 * vector for a model of several targets), scoring each
 * partition in stacked batches of {@value BatchScorer#BATCH_ROWS} rows through the BLAS forward
 * pass. Saved as Spark ML metadata plus the CLI's {@code path/data/model.safetensors};
 * {@link #fromModelFile} loads a regression model the CLI trained.
 */
public final class MlpRegressionModel extends RegressionModel<Vector, MlpRegressionModel>
    implements MlpModel, MLWritable {
  private static final long serialVersionUID = 1L;

  private final MlpParamSet mlpParams;
  private final SavedModel model;
  private final BatchScorer scorer;

  MlpRegressionModel(String uid, SavedModel model) {
    this(PendingUid.hold(uid), model);
  }

  private MlpRegressionModel(PendingUid.Token token, SavedModel model) {
    this.mlpParams = MlpParamSet.forStage(this);
    if (model.isClassifier()) {
      throw new IllegalArgumentException("the model " + model.mlp()
          + " is a classifier; load it with MlpClassificationModel");
    }
    this.model = model;
    this.scorer = new BatchScorer(model);
  }

  /**
   * A Spark ML model from a regression model file the CLI wrote ({@code path}: the
   * file or its directory); architecture params are set from the file, the others keep their
   * defaults.
   */
  public static MlpRegressionModel fromModelFile(String path) {
    return MlpModelIO.fromModelFile(path, "mlpRegressionModel",
        (uid, m) -> new MlpRegressionModel(uid, m));
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
  public int numFeatures() {
    return model.mlp().numInputs();
  }

  /**
   * How {@code transform} multiplies feature batches: {@code auto} (sparse below
   * {@link InputLayout#SPARSE_BELOW} density, per batch), {@code dense} or {@code sparse}. Sparse
   * vectors are never densified on the sparse path.
   */
  public MlpRegressionModel setInputLayout(String value) {
    set(inputLayout(), value);
    return this;
  }

  @Override
  public SavedModel savedModel() {
    return model;
  }

  /** Targets the model predicts: 1 (prediction is a double) or more (a vector). */
  public int numTargets() {
    return model.mlp().numOutputs();
  }

  /** The prediction for one row of a one-target model (single-row use; {@code transform} batches). */
  @Override
  public double predict(Vector features) {
    if (numTargets() != 1) {
      throw new IllegalStateException("the model predicts " + numTargets() + " targets "
          + Arrays.toString(model.targetNames()) + ": use predictVector");
    }
    return predictVector(features).apply(0);
  }

  /** The predicted targets for one row (any number of targets). */
  public Vector predictVector(Vector features) {
    BatchScorer.Batch batch = scorer.open(1, InputLayout.parse(getInputLayout()));
    batch.put(0, features);
    return org.apache.spark.ml.linalg.Vectors.dense(
        Arrays.copyOf(batch.forward(1), numTargets()));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.features(schema, getFeaturesCol(), numFeatures());
    if (getPredictionCol().isEmpty()) {
      return schema;
    }
    return SchemaChecks.append(schema, DataTypes.createStructField(getPredictionCol(),
        numTargets() == 1 ? DataTypes.DoubleType
            : org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Dataset<Row> df = dataset.toDF();
    if (getPredictionCol().isEmpty()) {
      return df;
    }
    PredictRows f = PredictRows.regressor(scorer, InputLayout.parse(getInputLayout()), df.schema().fieldIndex(getFeaturesCol()),
        getFeaturesCol());
    return SchemaChecks.withMetadata(df.mapPartitions(f, Encoders.row(out)), out);
  }

  @Override
  public MlpRegressionModel copy(ParamMap extra) {
    MlpRegressionModel copy = new MlpRegressionModel(uid(), model);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MlpModelIO.Writer(this, model);
  }

  public static MLReader<MlpRegressionModel> read() {
    return new MlpModelIO.Reader<>(MlpRegressionModel.class,
        (uid, m) -> new MlpRegressionModel(uid, m));
  }

  public static MlpRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MlpRegressionModel: uid=" + uid() + ", " + model.mlp();
  }
}
