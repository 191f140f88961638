package io.sparkmlp.train;

/**
 * Computes the summed gradient of one training step over all partitions. Implementations
 * differ in how weights reach the partitions and gradients come back; all sum the partitions'
 * gradients exactly ({@code train.reduce}), so every engine gives bit-identical results on any
 * cluster shape.
 */
public interface StepEngine extends AutoCloseable {
  /**
   * Step {@code step} (0-based) of epoch {@code epoch} (0-based) with the given parameters:
   * returns the exact gradient sum (valid until the next call) and the totals.
   */
  StepTotals step(double[] params, int epoch, int step);

  /** A short name for logs: {@code job} or {@code stage}. */
  String name();

  @Override
  void close();
}
