package io.sparkmlp.optim;

/**
 * A first-order optimizer with PyTorch's exact update rules. Implementations hold only
 * hyper-parameters and are immutable; all mutable state lives in {@link OptimizerState}.
 */
public interface Optimizer {
  /** Fresh state for {@code numParameters} parameters (step 0, zero buffers). */
  OptimizerState newState(int numParameters);

  /**
   * Starts the next step: advances {@code state}'s step count and returns the step's update,
   * which the caller applies to every parameter exactly once, in ranges of its choosing (so the
   * driver can update a cache-sized block and round it to float32 before moving on).
   */
  Update begin(double lr, OptimizerState state);

  /**
   * One update of {@code params} in place from the <b>mean</b> gradient {@code grad} (which it
   * may overwrite), with this step's learning rate {@code lr}.
   */
  default void step(double[] params, double[] grad, double lr, OptimizerState state) {
    begin(lr, state).apply(params, grad, 0, params.length);
  }

  /** The update of one step, for parameters {@code [from, to)}. */
  interface Update {
    void apply(double[] params, double[] grad, int from, int to);
  }

  /** A short description for logs and summaries, e.g. {@code adam(beta1=0.9, ...)}. */
  String describe();

  static void checkNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }

  static void checkUnitInterval(String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
    }
  }
}
