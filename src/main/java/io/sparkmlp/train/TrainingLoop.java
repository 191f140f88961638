package io.sparkmlp.train;

import io.sparkmlp.nn.MLP;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.optim.Optimizer;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver loop of one {@link Trainer#fit}: advances a {@link RunState} epoch by epoch, each
 * in two parts. {@link #trainSteps} takes the epoch's optimizer steps: the engine's exact
 * gradient sum, divided once by the batch's row count (rows × outputs for MSE) in a pass that
 * also checks it is finite, then the optimizer's update rounded to the compute dtype, and a
 * checkpoint where one falls due inside the epoch. {@link #endEpoch} does the work once the
 * steps are done: validation, the epoch's figures and callback, the end-of-epoch
 * {@link Divergence} rule, the early-stopping record, and the epoch's checkpoint.
 */
final class TrainingLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
  /** Parameters per block of the driver's update: a few hundred KiB of its arrays. */
  private static final int UPDATE_BLOCK = 8192;

  private final TrainConfig config;
  private final MLP mlp;
  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final int stepsPerEpoch;
  private final StepEngine engine;
  private final EpochValidator validator;
  private final Divergence divergence;
  private final Checkpointer checkpointer;
  private final TrainingListener listener;
  private final JavaSparkContext jsc;
  private final String jobGroup;
  private final double[] gradMean;

  /**
   * @param validator scores the validation set, or null without one
   * @param checkpointer saves checkpoints, or null without them
   * @param jobGroup the Spark job group the run's jobs are labelled in
   */
  TrainingLoop(TrainConfig config, MLP mlp, Optimizer optimizer, int stepsPerEpoch,
      StepEngine engine, EpochValidator validator, Divergence divergence,
      Checkpointer checkpointer, TrainingListener listener, JavaSparkContext jsc,
      String jobGroup) {
    this.config = config;
    this.mlp = mlp;
    this.optimizer = optimizer;
    this.schedule = config.newSchedule(stepsPerEpoch);
    this.stepsPerEpoch = stepsPerEpoch;
    this.engine = engine;
    this.validator = validator;
    this.divergence = divergence;
    this.checkpointer = checkpointer;
    this.listener = listener;
    this.jsc = jsc;
    this.jobGroup = jobGroup;
    this.gradMean = new double[mlp.numParameters()];
  }

  /** Trains from {@code s} to the last epoch; returns whether early stopping ended it sooner. */
  boolean run(RunState s) {
    while (s.epoch < config.epochs()) {
      s.clockIn();
      trainSteps(s);
      if (endEpoch(s)) {
        return true;
      }
    }
    return false;
  }

  /** The optimizer steps of the epoch in progress, from its next step to its last. */
  void trainSteps(RunState s) {
    while (s.step < stepsPerEpoch) {
      jsc.setJobGroup(jobGroup, String.format(Locale.ROOT, "train epoch %d/%d step %d/%d",
          s.epoch + 1, config.epochs(), s.step + 1, stepsPerEpoch), false);
      long stepStart = System.nanoTime();
      StepTotals totals = engine.step(s.params, s.epoch, s.step);
      long engineEnd = System.nanoTime();
      double norm = mlp.loss().normalizer(totals.rows, mlp.numOutputs());
      double loss = totals.lossSum / norm;
      double lr = schedule.lr(s.globalStep + 1);
      boolean finite = totals.gradient.meanTo(gradMean, norm);
      divergence.checkStep(loss, finite, s.epoch, s.step, lr, s.params);
      long meanEnd = System.nanoTime();
      update(optimizer.begin(lr, s.optimizerState), s.params);
      long stepEnd = System.nanoTime();
      s.stepTaken(totals.lossSum, totals.rows);
      if (checkpointer != null && s.step < stepsPerEpoch
          && checkpointer.dueAfterStep(s.globalStep)) {
        checkpointer.save(s);
      }
      listener.onStep(s.epoch + 1, s.step, s.globalStep, loss, lr, totals.rows);
      listener.onStepTimings(new StepTimings(stepEnd - stepStart, totals.broadcastNanos,
          totals.computeNanos, totals.aggregateNanos + meanEnd - engineEnd, stepEnd - meanEnd,
          totals.driverBytesOut, totals.driverBytesIn));
    }
  }

  /**
   * Applies the optimizer's step and rounds to the compute dtype block by block, so both run
   * over cache-resident data: one pass over the parameters in memory, two simple loops the JIT
   * compiles well (fusing the rounding into the optimizer's loop measured slower).
   */
  private void update(Optimizer.Update u, double[] params) {
    for (int from = 0; from < params.length; from += UPDATE_BLOCK) {
      int to = Math.min(params.length, from + UPDATE_BLOCK);
      u.apply(params, gradMean, from, to);
      config.dtype().roundInPlace(params, from, to);
    }
  }

  /**
   * The work after the last step of the epoch in progress; returns whether early stopping ends
   * the run (then no checkpoint is written: the last one holds the best epoch's record).
   *
   * @throws TrainingDivergedException if the epoch's loss exploded, with its start weights
   */
  boolean endEpoch(RunState s) {
    EpochMetrics m = epochMetrics(s);
    listener.onEpoch(m);
    divergence.checkEpoch(s.epoch, m.trainLoss, s.epochStartParams);
    int patience = config.earlyStoppingPatience();
    s.finishEpoch(m, validator != null ? m.valLoss : m.trainLoss, patience > 0);
    if (s.patienceRunOut(patience)) {
      LOG.info("early stopping after epoch {}: no better validation loss than {} (epoch {}) "
          + "for {} epochs; restoring epoch {}'s weights", s.epoch, s.bestLoss, s.bestEpoch,
          patience, s.bestEpoch);
      return true;
    }
    if (checkpointer != null
        && checkpointer.dueAfterEpoch(s.epoch, s.globalStep, config.epochs())) {
      checkpointer.save(s);
    }
    return false;
  }

  /** The figures of the epoch in progress, its steps done: scores the validation set. */
  private EpochMetrics epochMetrics(RunState s) {
    double valLoss = Double.NaN;
    double valMetric = Double.NaN;
    double valR2 = Double.NaN;
    if (validator != null) {
      jsc.setJobGroup(jobGroup, String.format(Locale.ROOT, "validate epoch %d/%d",
          s.epoch + 1, config.epochs()), false);
      ValidationStats v = validator.validate(jsc, s.params);
      valLoss = v.meanLoss(mlp.loss(), mlp.numOutputs());
      valMetric = v.metric(mlp.loss(), mlp.numOutputs());
      valR2 = v.r2(mlp.loss(), mlp.numOutputs());
    }
    double seconds = s.epochSecondsSoFar();
    return new EpochMetrics(s.epoch + 1, s.epochTrainLoss(mlp), valLoss, valMetric, valR2,
        schedule.lr(s.globalStep), seconds, s.epochRows / seconds, stepsPerEpoch);
  }
}
