package io.sparkmlp.train;

/**
 * Training produced a non-finite loss or gradient. Thrown before the bad update is applied, so
 * {@link #lastGoodParams()} are the weights of the last finite step.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient double[] lastGoodParams;

  public TrainingDivergedException(String message, double[] lastGoodParams) {
    super(message);
    this.lastGoodParams = lastGoodParams;
  }

  public double[] lastGoodParams() {
    return lastGoodParams;
  }
}
