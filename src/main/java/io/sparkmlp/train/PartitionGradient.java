package io.sparkmlp.train;

import java.io.Serializable;

/**
 * What one partition returns for one step: the summed gradient of its share of the batch (in
 * the compute dtype, parameter layout), its summed loss and its row count. Nothing is averaged
 * here; the engines add these exactly ({@code train.reduce}) and the driver divides once. {@code computeNanos} is the
 * time the partition spent in {@link PartitionStepper#step} (gather, forward, backward), taken
 * inside the task so the driver can tell computation from Spark's own per-step cost.
 */
final class PartitionGradient implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final double lossSum;
  final int rows;
  final float[] grad32;
  final double[] grad64;
  final long computeNanos;

  PartitionGradient(int partition, double lossSum, int rows, float[] grad32, double[] grad64,
      long computeNanos) {
    this.partition = partition;
    this.lossSum = lossSum;
    this.rows = rows;
    this.grad32 = grad32;
    this.grad64 = grad64;
    this.computeNanos = computeNanos;
  }
}
