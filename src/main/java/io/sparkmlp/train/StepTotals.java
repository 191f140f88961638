package io.sparkmlp.train;

import io.sparkmlp.train.reduce.PartialSum;

/**
 * One step's result over all partitions — the exact gradient sum, loss sum and row count — and
 * where the engine's time went: the weights' hand-over ({@code broadcastNanos}), the slowest
 * partition's computation ({@code computeNanos}) and the driver's own merging of the sums it
 * received ({@code aggregateNanos}).
 */
public final class StepTotals {
  /** The exact sum of the partitions' gradients; valid until the engine's next step. */
  public final PartialSum gradient;
  public final double lossSum;
  public final long rows;
  public final long broadcastNanos;
  public final long computeNanos;
  public final long aggregateNanos;
  /** Bytes the driver sent (weights) and received (sums) for this step. */
  public final long driverBytesOut;
  public final long driverBytesIn;

  StepTotals(PartialSum gradient, long broadcastNanos, long aggregateNanos, long driverBytesOut,
      long driverBytesIn) {
    this.gradient = gradient;
    this.lossSum = gradient.lossSum();
    this.rows = gradient.rows();
    this.computeNanos = gradient.maxComputeNanos();
    this.broadcastNanos = broadcastNanos;
    this.aggregateNanos = aggregateNanos;
    this.driverBytesOut = driverBytesOut;
    this.driverBytesIn = driverBytesIn;
  }
}
