package io.sparkmlp.optim;

import io.sparkmlp.nn.Named;
import java.io.Serializable;

/**
 * The learning rate of optimizer step t (1-based) out of T, after an optional linear warm-up of
 * W steps ({@code γ_t = γ·t/W} for t ≤ W):
 *
 * <ul>
 *   <li>{@code constant}: γ;
 *   <li>{@code step}: {@code γ·g^⌊e/E⌋} where e is the 0-based epoch of step t, E the decay
 *       period in epochs and g the factor (as {@code StepLR} stepped once per epoch);
 *   <li>{@code cosine}: {@code γ·½(1 + cos(π·(t − W)/(T − W)))}, decaying to 0 at the last step
 *       (as {@code CosineAnnealingLR} with {@code eta_min=0}, per step).
 * </ul>
 */
public final class LrSchedule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The shape of the schedule after warm-up. */
  public enum Kind implements Named {
    CONSTANT, STEP, COSINE;

    /** The schedule named {@code name} (see {@link Named#parse}). */
    public static Kind parse(String name) {
      return Named.parse(Kind.class, "lr schedule", name);
    }
  }

  private final Kind kind;
  private final double baseLr;
  private final int warmupSteps;
  private final long totalSteps;
  private final int stepsPerEpoch;
  private final int decayEpochs;
  private final double gamma;

  public LrSchedule(Kind kind, double baseLr, int warmupSteps, long totalSteps, int stepsPerEpoch,
      int decayEpochs, double gamma) {
    if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + baseLr);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmupSteps);
    }
    if (decayEpochs < 1) {
      throw new IllegalArgumentException("lr step epochs must be >= 1, got " + decayEpochs);
    }
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("lr gamma must be in (0, 1], got " + gamma);
    }
    this.kind = kind;
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
    this.decayEpochs = decayEpochs;
    this.gamma = gamma;
  }

  /** A constant rate without warm-up. */
  public static LrSchedule constant(double lr) {
    return new LrSchedule(Kind.CONSTANT, lr, 0, 1, 1, 1, 1.0);
  }

  /** The learning rate of step {@code t} (1-based). */
  public double lr(long t) {
    if (t <= warmupSteps) {
      return baseLr * t / warmupSteps;
    }
    switch (kind) {
      case STEP:
        long epoch = (t - 1) / stepsPerEpoch;
        return baseLr * Math.pow(gamma, epoch / decayEpochs);
      case COSINE:
        long span = Math.max(1, totalSteps - warmupSteps);
        return baseLr * 0.5 * (1 + Math.cos(Math.PI * Math.min(t - warmupSteps, span) / span));
      default:
        return baseLr;
    }
  }
}
