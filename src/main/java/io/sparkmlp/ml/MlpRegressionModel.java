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
 * A trained MLP regressor: {@code transform} appends {@code predictionCol} (double), scoring each
 * partition in stacked batches of {@value BatchScorer#BATCH_ROWS} rows through the BLAS forward
 * pass. Saved as Spark ML metadata plus the CLI's {@code path/data/model.safetensors};
 * {@link #fromModelFile} loads a one-target regression model the CLI trained.
 */
public final class MlpRegressionModel extends RegressionModel<Vector, MlpRegressionModel>
    implements MlpParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final MlpParamSet mlpParams;
  private final SavedModel model;
  private final BatchScorer scorer;
  private final MlpTrainingSummary summary;

  MlpRegressionModel(String uid, SavedModel model, MlpTrainingSummary summary) {
    this(PendingUid.hold(uid), model, summary);
  }

  private MlpRegressionModel(PendingUid.Token token, SavedModel model,
      MlpTrainingSummary summary) {
    this.mlpParams = MlpParamSet.forStage(this);
    if (model.isClassifier()) {
      throw new IllegalArgumentException("the model " + model.mlp()
          + " is a classifier; load it with MlpClassificationModel");
    }
    if (model.mlp().numOutputs() != 1) {
      throw new IllegalArgumentException("the model has " + model.mlp().numOutputs()
          + " targets " + Arrays.toString(model.targetNames()) + "; MlpRegressionModel predicts"
          + " one (score several targets with the CLI's predict)");
    }
    this.model = model;
    this.scorer = new BatchScorer(model);
    this.summary = summary;
  }

  /**
   * A Spark ML model from a one-target regression model file the CLI wrote ({@code path}: the
   * file or its directory); architecture params are set from the file, the others keep their
   * defaults.
   */
  public static MlpRegressionModel fromModelFile(String path) {
    return MlpModelIO.fromModelFile(path, "mlpRegressionModel",
        (uid, m) -> new MlpRegressionModel(uid, m, null));
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

  /** The trained network's flat parameters (PyTorch state_dict order; see {@code MLP}). */
  public double[] weights() {
    return model.params().clone();
  }

  /** What the CLI would save for this model. */
  public SavedModel savedModel() {
    return model;
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /** The per-epoch figures of the fit that produced this model (not kept by save/load). */
  public MlpTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("no training summary: this model " + uid()
          + " was loaded, not fitted");
    }
    return summary;
  }

  /** The prediction for one row (single-row use; {@code transform} batches). */
  @Override
  public double predict(Vector features) {
    BatchScorer.Batch batch = scorer.open(1, InputLayout.parse(getInputLayout()));
    batch.put(0, features);
    return batch.forward(1)[0];
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.features(schema, getFeaturesCol(), numFeatures());
    if (getPredictionCol().isEmpty()) {
      return schema;
    }
    return SchemaChecks.append(schema,
        DataTypes.createStructField(getPredictionCol(), DataTypes.DoubleType, false));
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
    MlpRegressionModel copy = new MlpRegressionModel(uid(), model, summary);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MlpModelIO.Writer(this, model);
  }

  public static MLReader<MlpRegressionModel> read() {
    return new MlpModelIO.Reader<>(MlpRegressionModel.class,
        (uid, m) -> new MlpRegressionModel(uid, m, null));
  }

  public static MlpRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MlpRegressionModel: uid=" + uid() + ", " + model.mlp();
  }
}
