package io.sparkmlp.optim;

import java.util.Locale;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}, per parameter:
 *
 * <pre>
 * g ← g + λ·θ                                  (weight decay λ)
 * b ← g                       on the first step (no dampening)
 * b ← μ·b + (1 − τ)·g         afterwards         (momentum μ, dampening τ)
 * g ← g + μ·b  (Nesterov)  or  g ← b           when μ ≠ 0
 * θ ← θ − γ·g
 * </pre>
 *
 * One state buffer: the momentum buffer {@code b} (unused when μ = 0).
 */
public final class Sgd implements Optimizer {
  private final double momentum;
  private final double dampening;
  private final boolean nesterov;
  private final double weightDecay;

  public Sgd(double momentum, double dampening, boolean nesterov, double weightDecay) {
    Optimizer.checkNonNegative("momentum", momentum);
    Optimizer.checkNonNegative("dampening", dampening);
    Optimizer.checkNonNegative("weight decay", weightDecay);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0 and dampening 0, got"
          + " momentum " + momentum + " and dampening " + dampening);
    }
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  public OptimizerState newState(int numParameters) {
    return new OptimizerState(0, new double[][] {new double[momentum != 0 ? numParameters : 0]});
  }

  @Override
  public Update begin(double lr, OptimizerState state) {
    boolean first = state.nextStep() == 1;
    double[] buf = state.buffer(0);
    return (params, grad, from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (weightDecay != 0) {
          g += weightDecay * params[i];
        }
        if (momentum != 0) {
          buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
          g = nesterov ? g + momentum * buf[i] : buf[i];
        }
        params[i] -= lr * g;
      }
    };
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "sgd(momentum=%s, dampening=%s, nesterov=%s, weight_decay=%s)",
        momentum, dampening, nesterov, weightDecay);
  }
}
