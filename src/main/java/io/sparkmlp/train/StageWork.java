package io.sparkmlp.train;

import java.io.Serializable;

/**
 * The driver's answer to a {@link StageRequest}: the weights of global step {@code seq}
 * (as the run's kernel ships them, {@code float[]} for float32, {@code double[]} for float64,
 * exactly what the job engine broadcasts) with its epoch and step, or {@link #FINISH} when the task should end.
 */
final class StageWork implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Tells a task to return: training is over, the stage yields to other jobs, or it is stale. */
  static final StageWork FINISH = new StageWork(-1, -1, -1, null);

  final long seq;
  final int epoch;
  final int step;
  final Object weights;

  StageWork(long seq, int epoch, int step, Object weights) {
    this.seq = seq;
    this.epoch = epoch;
    this.step = step;
    this.weights = weights;
  }

  boolean isFinish() {
    return seq < 0;
  }

  /** {@code [seq, epoch, step, weights]}. */
  Object[] toWire() {
    return new Object[] {seq, epoch, step, weights};
  }

  static StageWork fromWire(Object[] wire) {
    return new StageWork((Long) wire[0], (Integer) wire[1], (Integer) wire[2], wire[3]);
  }
}
