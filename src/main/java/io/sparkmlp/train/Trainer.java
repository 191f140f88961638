package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.optim.Optimizer;
import io.sparkmlp.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * restored. A non-finite loss or gradient stops training before the bad update with
 * {@link TrainingDivergedException}.
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

  /** The network this configuration builds for {@code train}. */
  public MLP network(Dataset train) {
    return config.network(train.numFeatures(), outputsFor(train), lossFor(train));
  }

  /**
   * Trains on {@code train}, scoring {@code validation} (may be null) after every epoch.
   *
   * @param initialParams starting weights in the flat layout (e.g. PyTorch's), or null to
   *     initialise from the seed
   */
  public TrainResult fit(Dataset train, Dataset validation, double[] initialParams,
      TrainingListener listener) {
    long start = System.nanoTime();
    MLP mlp = network(train);
    double[] params = initialParams != null
        ? initialParams.clone()
        : mlp.initParameters(config.weightInit(), config.biasInit(), config.seed());
    if (params.length != mlp.numParameters()) {
      throw new IllegalArgumentException("initial weights have " + params.length
          + " parameters, the network " + mlp + " needs " + mlp.numParameters());
    }
    config.dtype().roundInPlace(params);
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
    OptimizerState state = optimizer.newState(params.length);
    LrSchedule schedule = config.newSchedule(stepsPerEpoch);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String runId = UUID.randomUUID().toString();
    double[] gradSum = new double[params.length];
    List<EpochMetrics> history = new ArrayList<>();
    double bestLoss = Double.POSITIVE_INFINITY;
    double[] bestParams = null;
    int bestEpoch = 0;
    boolean stoppedEarly = false;
    Checkpoint resumed = checkpointer == null ? null
        : checkpointer.open(config, train, validation, params.length, state.numBuffers());
    if (resumed != null) {
      params = resumed.params();
      state = resumed.optimizerState.copy();
      history.addAll(resumed.history);
      bestLoss = resumed.bestLoss;
      bestEpoch = resumed.bestEpoch;
      bestParams = resumed.bestParams == null ? null : resumed.bestParams.clone();
    }
    LOG.info("training {} on {} rows in {} partitions: {} epochs x {} steps of {} rows, {}, {}, "
        + "driver BLAS {}", mlp, n, train.partitionRows().length, config.epochs(), stepsPerEpoch,
        batch, optimizer.describe(), config.dtype().optionName(),
        io.sparkmlp.blas.Blas.choice().summary());
    jsc.setJobGroup("spark-mlp-" + runId, "collect the validation set", false);
    EpochValidator validator = validation == null ? null
        : EpochValidator.of(validation, mlp, config.dtype());
    try (StepEngine engine = StepEngines.open(jsc, train, mlp, config, runId, batch,
        validator != null && validator.needsSparkJobs())) {
      listener.onStart(config.epochs(), stepsPerEpoch, n, engine.name());
      if (resumed != null) {
        resumed.history.forEach(listener::onEpoch);
      }
      long globalStep = resumed == null ? 0 : resumed.globalStep;
      for (int epoch = resumed == null ? 0 : resumed.epoch; epoch < config.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        boolean resuming = resumed != null && epoch == resumed.epoch;
        double epochLoss = resuming ? resumed.epochLossSum : 0;
        long epochRows = resuming ? resumed.epochRows : 0;
        double lr = 0;
        for (int s = resuming ? resumed.step : 0; s < stepsPerEpoch; s++) {
          jsc.setJobGroup("spark-mlp-" + runId, String.format(Locale.ROOT,
              "train epoch %d/%d step %d/%d", epoch + 1, config.epochs(), s + 1, stepsPerEpoch), false);
          long stepStart = System.nanoTime();
          StepTotals totals = engine.step(params, epoch, s, gradSum);
          long engineEnd = System.nanoTime();
          globalStep++;
          double norm = mlp.loss().normalizer(totals.rows, mlp.numOutputs());
          double stepLoss = totals.lossSum / norm;
          lr = schedule.lr(globalStep);
          checkFinite(stepLoss, gradSum, epoch, s, lr, params);
          for (int i = 0; i < gradSum.length; i++) {
            gradSum[i] /= norm;
          }
          optimizer.step(params, gradSum, lr, state);
          config.dtype().roundInPlace(params);
          long stepEnd = System.nanoTime();
          epochLoss += totals.lossSum;
          epochRows += totals.rows;
          if (checkpointer != null && s + 1 < stepsPerEpoch && checkpointer.dueAfterStep(globalStep)) {
            checkpointer.save(epoch, s + 1, globalStep, params, state, epochLoss, epochRows,
                bestLoss, bestEpoch, bestParams, history);
          }
          listener.onStep(epoch + 1, s + 1, globalStep, stepLoss, lr, totals.rows);
          listener.onStepTimings(new StepTimings(stepEnd - stepStart, totals.broadcastNanos,
              totals.computeNanos, totals.aggregateNanos, stepEnd - engineEnd));
        }
        double trainLoss = epochLoss / mlp.loss().normalizer(epochRows, mlp.numOutputs());
        double valLoss = Double.NaN;
        double valMetric = Double.NaN;
        double valR2 = Double.NaN;
        if (validation != null) {
          jsc.setJobGroup("spark-mlp-" + runId, String.format(Locale.ROOT,
              "validate epoch %d/%d", epoch + 1, config.epochs()), false);
          ValidationStats v = validator.validate(jsc, params);
          valLoss = v.meanLoss(mlp.loss(), mlp.numOutputs());
          valMetric = v.metric(mlp.loss(), mlp.numOutputs());
          valR2 = v.r2(mlp.loss(), mlp.numOutputs());
        }
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        EpochMetrics m = new EpochMetrics(epoch + 1, trainLoss, valLoss, valMetric, valR2, lr,
            seconds, epochRows / seconds, stepsPerEpoch);
        history.add(m);
        listener.onEpoch(m);
        double monitored = validation != null ? valLoss : trainLoss;
        if (monitored < bestLoss) {
          bestLoss = monitored;
          bestEpoch = epoch + 1;
          if (config.earlyStoppingPatience() > 0) {
            bestParams = params.clone();
          }
        } else if (config.earlyStoppingPatience() > 0 && validation != null
            && epoch + 1 - bestEpoch >= config.earlyStoppingPatience()) {
          LOG.info("early stopping after epoch {}: no better validation loss than {} (epoch {}) "
              + "for {} epochs; restoring epoch {}'s weights", epoch + 1, bestLoss, bestEpoch,
              config.earlyStoppingPatience(), bestEpoch);
          stoppedEarly = true;
          break;
        }
        if (checkpointer != null
            && checkpointer.dueAfterEpoch(epoch + 1, globalStep, config.epochs())) {
          checkpointer.save(epoch + 1, 0, globalStep, params, state, 0, 0, bestLoss, bestEpoch,
              bestParams, history);
        }
      }
      if (bestParams != null && validation != null) {
        params = bestParams;
      } else {
        bestEpoch = validation != null ? bestEpoch : history.size();
      }
      return new TrainResult(mlp, params, history, bestEpoch, stoppedEarly,
          (System.nanoTime() - start) / 1e9, engine.name());
    } finally {
      jsc.clearJobGroup();
    }
  }

  private static void checkFinite(double loss, double[] grad, int epoch, int step, double lr,
      double[] params) {
    boolean finite = Double.isFinite(loss);
    for (int i = 0; finite && i < grad.length; i++) {
      finite = Double.isFinite(grad[i]);
    }
    if (!finite) {
      throw new TrainingDivergedException(String.format(Locale.ROOT,
          "training diverged at epoch %d step %d: the loss is %s (learning rate %s). The last "
              + "finite weights are kept; try a smaller --lr, --standardize true or a smaller "
              + "--batch-size", epoch + 1, step + 1, loss, lr), params.clone());
    }
  }

  /** Validation loss and accuracy/RMSE of {@code params} on {@code data}, summed in partition order. */
  static ValidationStats validate(JavaSparkContext jsc, MLP mlp, Dtype dtype, double[] params,
      Dataset data) {
    Broadcast<double[]> weights = jsc.broadcast(params);
    try {
      List<ValidationStats> parts = data.blocks().map(
          (Block b) -> new Scorer(mlp, dtype, weights.value()).validate(b)).collect();
      ValidationStats total = new ValidationStats(0, 0, 0, 0, 0);
      for (ValidationStats p : parts) {
        total = total.plus(p);
      }
      return total;
    } finally {
      weights.destroy();
    }
  }
}
