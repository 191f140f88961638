package io.sparkmlp.train;

/**
 * The figures of one finished epoch. {@code trainLoss} is the mean loss over the epoch's rows
 * as the steps saw them (weights changing during the epoch, as Keras and Lightning report it);
 * the validation figures are NaN without validation data. {@code valMetric} is the accuracy
 * (classification) or the RMSE (regression); {@code valR2} is R² (regression only, else NaN).
 */
public final class EpochMetrics {
  public final int epoch;
  public final double trainLoss;
  public final double valLoss;
  public final double valMetric;
  public final double valR2;
  public final double lr;
  public final double seconds;
  public final double rowsPerSecond;
  public final long steps;

  public EpochMetrics(int epoch, double trainLoss, double valLoss, double valMetric, double valR2,
      double lr, double seconds, double rowsPerSecond, long steps) {
    this.epoch = epoch;
    this.trainLoss = trainLoss;
    this.valLoss = valLoss;
    this.valMetric = valMetric;
    this.valR2 = valR2;
    this.lr = lr;
    this.seconds = seconds;
    this.rowsPerSecond = rowsPerSecond;
    this.steps = steps;
  }
}
