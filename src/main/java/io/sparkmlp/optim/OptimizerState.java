package io.sparkmlp.optim;

import java.util.Arrays;

/**
 * The mutable state of an {@link Optimizer}, kept apart from the parameters (as PyTorch's
 * {@code optimizer.state}): the number of updates taken so far and the per-parameter buffers in
 * the same flat layout as the parameters (SGD: the momentum buffer; Adam: {@code exp_avg},
 * {@code exp_avg_sq}).
 *
 * <p>Lifecycle: created by {@link Optimizer#newState(int)} with step 0 and zero buffers, advanced
 * by each {@link Optimizer#step}, saved in and restored from checkpoints as-is.
 */
public final class OptimizerState {
  private long step;
  private final double[][] buffers;

  public OptimizerState(long step, double[][] buffers) {
    if (step < 0) {
      throw new IllegalArgumentException("step count must be >= 0, got " + step);
    }
    this.step = step;
    this.buffers = buffers;
  }

  /** Updates taken so far (PyTorch's {@code state['step']}). */
  public long step() {
    return step;
  }

  /** Advances the step count and returns the new value (1 for the first update). */
  long nextStep() {
    return ++step;
  }

  /** Buffer {@code i} (see the optimizer for their meaning). */
  public double[] buffer(int i) {
    return buffers[i];
  }

  public int numBuffers() {
    return buffers.length;
  }

  /** A deep copy, e.g. to remember the state of the best epoch. */
  public OptimizerState copy() {
    double[][] b = new double[buffers.length][];
    for (int i = 0; i < b.length; i++) {
      b[i] = buffers[i].clone();
    }
    return new OptimizerState(step, b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OptimizerState
        && ((OptimizerState) o).step == step
        && Arrays.deepEquals(((OptimizerState) o).buffers, buffers);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(step) * 31 + Arrays.deepHashCode(buffers);
  }
}
