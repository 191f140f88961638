package io.sparkmlp.train;

/**
 * Computes the summed gradient of one training step over all partitions. Implementations
 * differ in how weights reach the partitions and gradients come back; all add the partitions'
 * gradients in partition order, so every engine gives bit-identical results.
 */
public interface StepEngine extends AutoCloseable {
  /**
   * Step {@code step} (0-based) of epoch {@code epoch} (0-based) with the given parameters:
   * writes the summed gradient into {@code gradSum} (overwriting it) and returns the totals.
   */
  StepTotals step(double[] params, int epoch, int step, double[] gradSum);

  /** A short name for logs: {@code job} or {@code stage}. */
  String name();

  @Override
  void close();
}
