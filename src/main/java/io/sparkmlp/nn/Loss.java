package io.sparkmlp.nn;

/**
 * Training losses. The engine returns summed losses and gradients; {@link #normalizer(long, int)}
 * gives the one global count they are divided by, so partial sums from partitions add up
 * exactly to PyTorch's mean.
 */
public enum Loss implements Named {
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
  @Override
  public String optionName() {
    return optionName;
  }

  /** What the summed loss and gradients are divided by: rows (CE) or rows × outputs (MSE). */
  public double normalizer(long rows, int outputs) {
    return this == MSE ? (double) rows * outputs : (double) rows;
  }

  /** The loss named {@code name} ({@link Named#parse}): {@code cross-entropy} or {@code mse}. */
  public static Loss parse(String name) {
    return Named.parse(Loss.class, "loss", name);
  }
}
