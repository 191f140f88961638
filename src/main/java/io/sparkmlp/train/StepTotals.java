package io.sparkmlp.train;

/** The summed loss and row count of one step over all partitions. */
public final class StepTotals {
  public final double lossSum;
  public final long rows;

  public StepTotals(double lossSum, long rows) {
    this.lossSum = lossSum;
    this.rows = rows;
  }
}
