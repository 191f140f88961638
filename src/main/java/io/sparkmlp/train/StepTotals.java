package io.sparkmlp.train;

/**
 * The summed loss and row count of one step over all partitions, and where the engine's time
 * went: the weights' hand-over ({@code broadcastNanos}), the slowest partition's computation
 * ({@code computeNanos}) and the driver's sum of the partitions' gradients
 * ({@code aggregateNanos}); {@link StepTimings#UNMEASURED} where an engine does not measure one.
 */
public final class StepTotals {
  public final double lossSum;
  public final long rows;
  public final long broadcastNanos;
  public final long computeNanos;
  public final long aggregateNanos;

  public StepTotals(double lossSum, long rows) {
    this(lossSum, rows, StepTimings.UNMEASURED, StepTimings.UNMEASURED, StepTimings.UNMEASURED);
  }

  StepTotals(double lossSum, long rows, long broadcastNanos, long computeNanos,
      long aggregateNanos) {
    this.lossSum = lossSum;
    this.rows = rows;
    this.broadcastNanos = broadcastNanos;
    this.computeNanos = computeNanos;
    this.aggregateNanos = aggregateNanos;
  }
}
