package io.sparkmlp.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.TargetScaling;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.optim.Optimizer;
import io.sparkmlp.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver loop of distributed mini-batch training.
 *
 * <p>Each step: the {@link StepEngine} hands the weights to the partitions, each partition
 * returns the summed gradient and loss of its rows of the step's batch, the engine adds them in
 * partition order; the driver divides once by the batch's global row count (rows × outputs for
 * MSE), applies the optimizer and, for float32, rounds the weights to float. So the update is
 * exactly PyTorch's mean-loss step, and the same data, seed and partition count give a
 * bit-identical model whatever the master or the order tasks finish in.
 *
 * <p>After every epoch the validation set (if any) is scored; with early stopping, training
 * ends after {@code patience} epochs without a lower validation loss and the best weights are
 * restored. A non-finite loss or gradient, or an epoch whose mean loss explodes, stops
 * training with {@link TrainingDivergedException} (see {@link Divergence}).
 *
 * <p>This class checks the arguments, starts the {@link RunState} (or restores it from a
 * checkpoint) and opens the step engine; {@link TrainingLoop} advances the state.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final SparkSession spark;
  private final TrainConfig config;
  private Checkpointer checkpointer;

  public Trainer(SparkSession spark, TrainConfig config) {
    this.spark = spark;
    this.config = config.copy();
  }

  /**
   * Saves checkpoints with {@code c} during {@link #fit}, and resumes from its newest good
   * checkpoint when it was created to resume.
   */
  public Trainer withCheckpoints(Checkpointer c) {
    this.checkpointer = c;
    return this;
  }

  /** The loss a data set's task calls for: cross-entropy for classes, MSE for targets. */
  public static Loss lossFor(Dataset data) {
    return data.classLabels() != null ? Loss.CROSS_ENTROPY : Loss.MSE;
  }

  /** Outputs of the network for a data set: its classes or its targets. */
  public static int outputsFor(Dataset data) {
    return data.classLabels() != null ? data.classLabels().length : data.targetNames().length;
  }

  /**
   * The network this configuration builds for {@code train}.
   *
   * @throws IllegalArgumentException when {@code train} is not stacked in the configuration's
   *     dtype (load it with the same dtype, as {@link Settings#loadOptions} does)
   */
  public MLP network(Dataset train) {
    requireDtype(train, "training");
    return config.network(train.numFeatures(), outputsFor(train), lossFor(train));
  }

  /**
   * What a model file holds for {@code result}, a run on {@code train}: with standardised
   * targets the weights with μ and σ folded into the last layer ({@link TargetScaling#fold}), so
   * the model predicts in the targets' units, and the folded μ and σ recorded in the metadata
   * ({@code folded_target_mean}, {@code folded_target_std}: nothing to apply, for reference).
   *
   * @param extra further metadata (the configuration, the label columns, ...)
   */
  public SavedModel savedModel(TrainResult result, Dataset train, Map<String, String> extra) {
    TargetScaling targets = train.targetScaling();
    Map<String, String> meta = new LinkedHashMap<>(extra);
    double[] params = result.params;
    if (targets != null) {
      params = targets.fold(result.mlp, params, config.dtype());
      try {
        ObjectMapper json = new ObjectMapper();
        meta.put("folded_target_mean", json.writeValueAsString(targets.mean()));
        meta.put("folded_target_std", json.writeValueAsString(targets.std()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return new SavedModel(result.mlp, config.dtype(), params, train.classLabels(),
        train.targetNames(), train.featureMean(), train.featureStd(), meta);
  }

  /** The dtype is one setting: data stacked in another would be computed in a mix of both. */
  private void requireDtype(Dataset data, String role) {
    if (data != null && data.dtype() != config.dtype()) {
      throw new IllegalArgumentException("the " + role + " data are stacked in "
          + data.dtype().optionName() + " but the trainer computes in "
          + config.dtype().optionName() + ": load them with the same dtype");
    }
  }

  /**
   * Trains on {@code train}, scoring {@code validation} (may be null) after every epoch; with
   * checkpoints, continues the run from its newest good checkpoint when resuming.
   *
   * @param initialParams starting weights in the flat layout (e.g. PyTorch's), or null to
   *     initialise from the seed; with standardised targets they are a model in the targets'
   *     units, like every model file, and training starts from them unfolded
   *     ({@link TargetScaling#unfold})
   */
  public TrainResult fit(Dataset train, Dataset validation, double[] initialParams,
      TrainingListener listener) {
    long start = System.nanoTime();
    MLP mlp = network(train);
    requireDtype(validation, "validation");
    double[] params = startingParams(mlp, initialParams, train.targetScaling());
    if (config.earlyStoppingPatience() > 0 && validation == null) {
      throw new IllegalArgumentException("early stopping needs validation data "
          + "(--validation-data or --validation-fraction)");
    }
    long n = train.numRows();
    if (n == 0) {
      throw new IllegalArgumentException("the training data set is empty");
    }
    int batch = config.batchSize() == TrainConfig.FULL_BATCH
        ? (int) Math.min(n, Integer.MAX_VALUE)
        : (int) Math.min(config.batchSize(), n);
    int stepsPerEpoch = BatchPlan.stepsPerEpoch(n, batch);
    Optimizer optimizer = config.newOptimizer();
    OptimizerState fresh = optimizer.newState(params.length);
    RunState restored = checkpointer == null ? null
        : checkpointer.open(config, train, validation, params.length, fresh);
    RunState state = restored != null ? restored : RunState.fresh(params, fresh);
    LOG.info("training {} on {} rows in {} partitions: {} epochs x {} steps of {} rows, {}, {}, "
        + "driver BLAS {}", mlp, n, train.partitionRows().length, config.epochs(), stepsPerEpoch,
        batch, optimizer.describe(), config.dtype().optionName(),
        io.sparkmlp.blas.Blas.choice().summary());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String runId = UUID.randomUUID().toString();
    String jobGroup = "spark-mlp-" + runId;
    jsc.setJobGroup(jobGroup, "collect the validation set", false);
    EpochValidator validator = validation == null ? null
        : EpochValidator.of(validation, mlp, config.dtype());
    Divergence divergence = Divergence.of(mlp, train);
    try (StepEngine engine = StepEngines.open(jsc, train, mlp, config, runId, batch,
        validator != null && validator.needsSparkJobs())) {
      listener.onStart(config.epochs(), stepsPerEpoch, n, engine.name());
      state.history.forEach(listener::onEpoch);
      boolean stoppedEarly = new TrainingLoop(config, mlp, optimizer, stepsPerEpoch, engine,
          validator, divergence, checkpointer, listener, jsc, jobGroup).run(state);
      return state.result(mlp, validation != null, stoppedEarly,
          (System.nanoTime() - start) / 1e9, engine.name());
    } finally {
      jsc.clearJobGroup();
    }
  }

  /**
   * The first weights, {@code initial} (checked; unfolded when targets are standardised) or the
   * seed's, rounded to the dtype.
   */
  private double[] startingParams(MLP mlp, double[] initial, TargetScaling targets) {
    double[] params = initial != null
        ? initial.clone()
        : mlp.initParameters(config.weightInit(), config.biasInit(), config.seed());
    if (params.length != mlp.numParameters()) {
      throw new IllegalArgumentException("initial weights have " + params.length
          + " parameters, the network " + mlp + " needs " + mlp.numParameters());
    }
    if (initial != null && targets != null) {
      params = targets.unfold(mlp, params);
    }
    config.dtype().roundInPlace(params);
    return params;
  }

  /** Validation loss and accuracy/RMSE of {@code params} on {@code data}, summed in partition order. */
  static ValidationStats validate(JavaSparkContext jsc, MLP mlp, Dtype dtype, double[] params,
      Dataset data) {
    Broadcast<double[]> weights = jsc.broadcast(params);
    TargetScaling targets = data.targetScaling();
    try {
      List<ValidationStats> parts = data.blocks().map(
          (Block b) -> new Scorer(mlp, dtype, weights.value()).validate(b, targets)).collect();
      ValidationStats total = new ValidationStats(0, 0, 0, 0, 0, 0);
      for (ValidationStats p : parts) {
        total = total.plus(p);
      }
      return total;
    } finally {
      weights.destroy();
    }
  }
}
