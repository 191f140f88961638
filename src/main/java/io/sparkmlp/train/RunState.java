package io.sparkmlp.train;

import io.sparkmlp.nn.MLP;
import io.sparkmlp.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a training run changes as it goes, in one place: what the step loop advances, a
 * {@link Checkpoint} saves and a resume restores, so a run continued from it is bit-identical
 * to the uninterrupted one.
 *
 * <ul>
 *   <li>position: {@code epoch} (0-based, the epoch in progress = epochs finished),
 *       {@code step} (steps taken in it) and {@code globalStep} (steps taken in all). The
 *       batch plan is a pure function of (seed, epoch) and the learning rate one of the global
 *       step, so these three are the whole random-number and schedule position;
 *   <li>the model: {@code params} (flat layout) and {@code optimizerState}, both updated in
 *       place by every step;
 *   <li>the epoch in progress: the running sums of its training loss and rows, the weights it
 *       started from (the end-of-epoch {@link Divergence} rule keeps them) and the wall seconds
 *       it took before this process took it up (a resumed epoch reports its whole time);
 *   <li>the early-stopping record: the lowest monitored loss, its 1-based epoch and, when early
 *       stopping is on, that epoch's weights;
 *   <li>{@code history}: the figures of the finished epochs.
 * </ul>
 *
 * <p>Lifecycle: {@link #fresh} (or {@link Checkpointer#open}, which restores one) before the
 * first step; {@link #stepTaken} after every optimizer step; {@link #finishEpoch} once an
 * epoch's figures are known. Between two steps the fields are consistent: that is when the
 * driver loop checkpoints.
 */
class RunState {
  int epoch;
  int step;
  long globalStep;
  final double[] params;
  final OptimizerState optimizerState;
  double epochLossSum;
  long epochRows;
  final double[] epochStartParams;
  /** Wall seconds the epoch in progress took before this process took it up (a resume). */
  double epochSecondsBefore;
  double bestLoss;
  int bestEpoch;
  double[] bestParams;
  final List<EpochMetrics> history;
  /** {@link System#nanoTime} when this process took up the epoch in progress (never saved). */
  private long clockStart;

  /**
   * A state from the fields a version-1 checkpoint saves; arrays and the optimizer state are
   * copied. The weights the epoch started from are taken as {@code params} (exact at step 0),
   * and no seconds before this process.
   */
  RunState(int epoch, int step, long globalStep, double[] params, OptimizerState optimizerState,
      double epochLossSum, long epochRows, double bestLoss, int bestEpoch, double[] bestParams,
      List<EpochMetrics> history) {
    this.epoch = epoch;
    this.step = step;
    this.globalStep = globalStep;
    this.params = params.clone();
    this.optimizerState = optimizerState.copy();
    this.epochLossSum = epochLossSum;
    this.epochRows = epochRows;
    this.epochStartParams = params.clone();
    this.bestLoss = bestLoss;
    this.bestEpoch = bestEpoch;
    this.bestParams = bestParams == null ? null : bestParams.clone();
    this.history = new ArrayList<>(history);
  }

  /** A deep copy of {@code s} (its clock not started). */
  RunState(RunState s) {
    this(s.epoch, s.step, s.globalStep, s.params, s.optimizerState, s.epochLossSum, s.epochRows,
        s.bestLoss, s.bestEpoch, s.bestParams, s.history);
    System.arraycopy(s.epochStartParams, 0, epochStartParams, 0, params.length);
    this.epochSecondsBefore = s.epochSecondsBefore;
  }

  /** The state before the first step of a run from {@code params} (copied). */
  static RunState fresh(double[] params, OptimizerState optimizerState) {
    return new RunState(0, 0, 0, params, optimizerState, 0, 0, Double.POSITIVE_INFINITY, 0, null,
        List.of());
  }

  /** Starts the clock of the epoch in progress: called as this process takes it up. */
  void clockIn() {
    clockStart = System.nanoTime();
  }

  /** Wall seconds the epoch in progress has taken, across processes; 0 before its first step. */
  double epochSecondsSoFar() {
    return step == 0 ? 0 : epochSecondsBefore + (System.nanoTime() - clockStart) / 1e9;
  }

  /** After an optimizer step (already applied to the weights) over {@code rows} rows. */
  void stepTaken(double lossSum, long rows) {
    step++;
    globalStep++;
    epochLossSum += lossSum;
    epochRows += rows;
  }

  /** The epoch's mean training loss so far (per row, or per row and output for MSE). */
  double epochTrainLoss(MLP mlp) {
    return epochLossSum / mlp.loss().normalizer(epochRows, mlp.numOutputs());
  }

  /**
   * Closes the epoch in progress with its figures {@code m} and the loss early stopping
   * monitors (validation loss, or training loss without validation data), keeping the weights
   * of a new best epoch when {@code keepBestWeights}, and opens the next epoch.
   */
  void finishEpoch(EpochMetrics m, double monitored, boolean keepBestWeights) {
    history.add(m);
    epoch++;
    if (monitored < bestLoss) {
      bestLoss = monitored;
      bestEpoch = epoch;
      if (keepBestWeights) {
        bestParams = params.clone();
      }
    }
    step = 0;
    epochLossSum = 0;
    epochRows = 0;
    epochSecondsBefore = 0;
    System.arraycopy(params, 0, epochStartParams, 0, params.length);
  }

  /** Whether {@code patience} (≥ 1; 0 = off) epochs have passed without a new best. */
  boolean patienceRunOut(int patience) {
    return patience > 0 && epoch - bestEpoch >= patience;
  }

  /**
   * The outcome: the best epoch's weights where early stopping kept them, else the last; the
   * best epoch by validation loss, or the last epoch without validation data.
   */
  TrainResult result(MLP mlp, boolean validated, boolean stoppedEarly, double seconds,
      String engine) {
    return new TrainResult(mlp, bestParams != null ? bestParams : params, history,
        validated ? bestEpoch : history.size(), stoppedEarly, seconds, engine);
  }
}
