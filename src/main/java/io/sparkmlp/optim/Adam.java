package io.sparkmlp.optim;

import java.util.Locale;

/**
 * Adam and AdamW as {@code torch.optim.Adam} / {@code torch.optim.AdamW}, per parameter at step
 * t (counted from 1):
 *
 * <pre>
 * θ ← θ·(1 − γλ)                       AdamW (decoupled weight decay)
 * g ← g + λ·θ                           Adam with weight decay (L2 in the gradient)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 *
 * ε is added after the bias correction of v, exactly as PyTorch does. Two state buffers: m
 * ({@code exp_avg}) and v ({@code exp_avg_sq}).
 */
public final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;

  /**
   * @param decoupled true for AdamW (weight decay applied to the parameters), false for Adam
   *     (weight decay added to the gradient)
   */
  public Adam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    Optimizer.checkUnitInterval("beta1", beta1);
    Optimizer.checkUnitInterval("beta2", beta2);
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }
    Optimizer.checkNonNegative("weight decay", weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
  }

  @Override
  public OptimizerState newState(int numParameters) {
    return new OptimizerState(0, new double[][] {new double[numParameters], new double[numParameters]});
  }

  @Override
  public Update begin(double lr, OptimizerState state) {
    long t = state.nextStep();
    double[] m = state.buffer(0);
    double[] v = state.buffer(1);
    double stepSize = lr / (1 - Math.pow(beta1, t));
    double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    double decay = 1 - lr * weightDecay;
    return (params, grad, from, to) -> {
      for (int i = from; i < to; i++) {
        double g = grad[i];
        if (weightDecay != 0) {
          if (decoupled) {
            params[i] *= decay;
          } else {
            g += weightDecay * params[i];
          }
        }
        m[i] = m[i] * beta1 + (1 - beta1) * g;
        v[i] = v[i] * beta2 + (1 - beta2) * g * g;
        double denom = Math.sqrt(v[i]) / bias2Sqrt + eps;
        params[i] += -stepSize * m[i] / denom;
      }
    };
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%s(beta1=%s, beta2=%s, eps=%s, weight_decay=%s)",
        decoupled ? "adamw" : "adam", beta1, beta2, eps, weightDecay);
  }
}
