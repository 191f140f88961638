package io.sparkmlp.nn;

import java.util.Locale;

/**
 * Training losses. The engine returns summed losses and gradients; {@link #normalizer(long, int)}
 * gives the one global count they are divided by, so partial sums from partitions add up
 * exactly to PyTorch's mean.
 */
public enum Loss {
  /**
   * Softmax cross-entropy over integer class labels, {@code nn.CrossEntropyLoss()}: per row
   * {@code logsumexp(z) − z_y}, mean over rows. Output delta {@code Δ = softmax(z) − onehot(y)}.
   */
  CROSS_ENTROPY("cross-entropy"),
  /**
   * Mean squared error, {@code nn.MSELoss()}: {@code Σ (ŷ − y)²} over rows × outputs, divided by
   * rows × outputs. Output delta {@code Δ = 2(ŷ − y)}.
   */
  MSE("mse");

  private final String optionName;

  Loss(String optionName) {
    this.optionName = optionName;
  }

  /** The option and metadata name: {@code cross-entropy} or {@code mse}. */
  public String optionName() {
    return optionName;
  }

  /** What the summed loss and gradients are divided by: rows (CE) or rows × outputs (MSE). */
  public double normalizer(long rows, int outputs) {
    return this == MSE ? (double) rows * outputs : (double) rows;
  }

  /** Parses {@code cross-entropy} (also {@code cross_entropy}, {@code ce}) or {@code mse}. */
  public static Loss parse(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    switch (key) {
      case "cross-entropy":
      case "ce":
        return CROSS_ENTROPY;
      case "mse":
        return MSE;
      default:
        throw new IllegalArgumentException(
            "unknown loss '" + name + "'; expected cross-entropy or mse");
    }
  }
}
