package io.sparkmlp.train;

/**
 * Where the wall time of one optimizer step went, in nanoseconds (System.nanoTime only, so
 * measuring costs nothing noticeable): the weights' hand-over to the partitions, the slowest
 * partition's computation (measured inside its task), the driver's sum of the partitions'
 * gradients, and the optimizer update. What is left of the wall time is Spark's own cost:
 * scheduling, task launch, and moving results and the broadcast's bytes.
 *
 * <p>Engines that do not measure a part report {@link #UNMEASURED} for it; then
 * {@link #sparkNanos()} is unknown too. {@code driverBytesOut}/{@code driverBytesIn}: bytes
 * the driver sent (the step's weights; the job engine's broadcast counted once, as its
 * executors may fetch pieces from each other) and received (gradient sums).
 */
public record StepTimings(long wallNanos, long broadcastNanos, long computeNanos,
    long aggregateNanos, long updateNanos, long driverBytesOut, long driverBytesIn) {
  /** The value of a part an engine does not measure. */
  public static final long UNMEASURED = -1;

  /**
   * Wall time minus the measured parts (the transport: the tree or Spark's jobs), or
   * {@link #UNMEASURED} if a part is unmeasured.
   */
  public long sparkNanos() {
    if (broadcastNanos < 0 || computeNanos < 0 || aggregateNanos < 0) {
      return UNMEASURED;
    }
    // at least 0: the weights' hand-over and the tasks' compute may overlap a little
    return Math.max(0, wallNanos - broadcastNanos - computeNanos - aggregateNanos - updateNanos);
  }
}
