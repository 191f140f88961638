package io.sparkmlp.train;

/** Callbacks from the driver loop, on the driver thread, for progress output and metric files. */
public interface TrainingListener {
  /** Called once before the first step. */
  default void onStart(int epochs, int stepsPerEpoch, long trainRows, String engine) {}

  /**
   * After every optimizer step: 1-based epoch and step within it, global step, the step's mean
   * loss, its learning rate and rows.
   */
  default void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {}

  /** After every optimizer step (after {@link #onStep}): where the step's time went. */
  default void onStepTimings(StepTimings timings) {}

  /** After every epoch, once its validation figures are known. */
  default void onEpoch(EpochMetrics metrics) {}

  TrainingListener NONE = new TrainingListener() {};
}
