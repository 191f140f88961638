package io.sparkmlp.train;

import java.io.Serializable;

/**
 * What one partition returns for one step: the summed gradient of its share of the batch (as the
 * kernel ships it, {@link io.sparkmlp.nn.Kernel#gradient()}: the compute dtype, parameter
 * layout), its summed loss and its row count. Nothing is averaged here; the engines add these
 * exactly ({@code train.reduce}) and the driver divides once.
 * {@code computeNanos} is the time the partition spent in {@link PartitionStepper#step} (gather,
 * forward, backward), taken inside the task so the driver can tell computation from Spark's own
 * per-step cost.
 *
 * <p>A class, not a record: it is a task result, which a job configured with Kryo serializes
 * with Kryo, and the Kryo that Spark brings cannot serialize records.
 */
final class PartitionGradient implements Serializable {
  private static final long serialVersionUID = 1L;

  final double lossSum;
  final int rows;
  final Object gradient;
  final long computeNanos;

  PartitionGradient(double lossSum, int rows, Object gradient, long computeNanos) {
    this.lossSum = lossSum;
    this.rows = rows;
    this.gradient = gradient;
    this.computeNanos = computeNanos;
  }
}
