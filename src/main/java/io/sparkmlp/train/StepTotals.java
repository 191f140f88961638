package io.sparkmlp.train;

import io.sparkmlp.nn.Kernel;
import java.util.Arrays;
import java.util.List;

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

  private StepTotals(double lossSum, long rows, long broadcastNanos, long computeNanos,
      long aggregateNanos) {
    this.lossSum = lossSum;
    this.rows = rows;
    this.broadcastNanos = broadcastNanos;
    this.computeNanos = computeNanos;
    this.aggregateNanos = aggregateNanos;
  }

  /**
   * Adds the partitions' gradients in list (partition) order into {@code gradSum}, overwriting
   * it, with {@code kernel} (of the run's dtype, {@link Kernel#addGradient}), and returns their
   * totals with the timings: {@code broadcastNanos} as measured by the engine, the slowest
   * partition's compute time, and the time of this sum.
   */
  static StepTotals sum(List<PartitionGradient> parts, Kernel kernel, double[] gradSum,
      long broadcastNanos) {
    long start = System.nanoTime();
    Arrays.fill(gradSum, 0.0);
    double loss = 0.0;
    long rows = 0;
    long compute = 0;
    for (PartitionGradient p : parts) {
      kernel.addGradient(p.gradient, gradSum);
      loss += p.lossSum;
      rows += p.rows;
      compute = Math.max(compute, p.computeNanos);
    }
    return new StepTotals(loss, rows, broadcastNanos, compute, System.nanoTime() - start);
  }
}
