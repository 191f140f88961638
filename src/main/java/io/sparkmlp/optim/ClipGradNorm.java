package io.sparkmlp.optim;

import java.util.Locale;

/**
 * Gradient clipping by global L2 norm before another optimizer's step, as
 * {@code torch.nn.utils.clip_grad_norm_(model.parameters(), maxNorm)} called between
 * {@code backward()} and {@code step()} (optax: {@code chain(clip_by_global_norm, ...)}):
 *
 * <pre>
 * n ← ‖g‖₂                                  over every parameter of the mean gradient g
 * g ← g · min(1, maxNorm / (n + 10⁻⁶))
 * </pre>
 *
 * then the wrapped optimizer's update from the clipped g. A gradient already within the norm is
 * left exactly as it is (PyTorch multiplies it by 1.0). State: the wrapped optimizer's.
 */
public final class ClipGradNorm implements Optimizer {
  /** What PyTorch adds to the norm before dividing by it. */
  static final double EPS = 1e-6;

  private final double maxNorm;
  private final Optimizer inner;

  /** Clips to {@code maxNorm} ({@code > 0}), then steps with {@code inner}. */
  public ClipGradNorm(double maxNorm, Optimizer inner) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxNorm);
    }
    this.maxNorm = maxNorm;
    this.inner = inner;
  }

  /** {@code ‖g‖₂}, the L2 norm of all of {@code g}. */
  public static double norm(double[] g) {
    double sum = 0;
    for (double v : g) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }

  /** The factor that brings a gradient of norm {@code n} within {@code maxNorm}: at most 1. */
  double scale(double n) {
    return Math.min(1.0, maxNorm / (n + EPS));
  }

  @Override
  public OptimizerState newState(int numParameters) {
    return inner.newState(numParameters);
  }

  /**
   * The wrapped optimizer's update of the clipped gradient. The norm is taken over the whole
   * {@code grad} array at the first {@link Update#apply} of the step, before any range is
   * updated; each range is then scaled in place and handed on.
   */
  @Override
  public Update begin(double lr, OptimizerState state) {
    Update update = inner.begin(lr, state);
    return new Update() {
      private boolean measured;
      private double scale;

      @Override
      public void apply(double[] params, double[] grad, int from, int to) {
        if (!measured) {
          scale = scale(norm(grad));
          measured = true;
        }
        if (scale < 1) {
          for (int i = from; i < to; i++) {
            grad[i] *= scale;
          }
        }
        update.apply(params, grad, from, to);
      }
    };
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "clip_grad_norm(max_norm=%s), then %s", maxNorm,
        inner.describe());
  }
}
