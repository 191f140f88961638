package io.sparkmlp.train;

import java.io.Serializable;

/**
 * What a stage task asks the driver's {@link StageEndpoint}: "here is my gradient of step
 * {@code seq} (none when {@code gradient} is null, i.e. the attempt is just joining), give me
 * the next step's work". One message per task per step carries both directions' traffic.
 *
 * <p>It crosses the RPC layer as {@link #toWire()}, an {@code Object[]} of JDK types only
 * (tagged by {@link #WIRE_TAG}): the receiving RPC threads deserialize with the JVM's class
 * loader, which on a real cluster cannot see classes of the application jar.
 */
final class StageRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int attempt;
  final int stageAttempt;
  final int generation;
  final long seq;
  final PartitionGradient gradient;

  StageRequest(int partition, int attempt, int stageAttempt, int generation, long seq,
      PartitionGradient gradient) {
    this.partition = partition;
    this.attempt = attempt;
    this.stageAttempt = stageAttempt;
    this.generation = generation;
    this.seq = seq;
    this.gradient = gradient;
  }

  /** First element of a request's wire form. */
  static final String WIRE_TAG = "spark-mlp/stage-request/2";

  /**
   * {@code [tag, partition, attempt, stageAttempt, generation, seq]}, then, with a gradient,
   * {@code [lossSum, rows, gradient, computeNanos]} (the gradient a {@code float[]} or
   * {@code double[]}, as the kernel ships it).
   */
  Object[] toWire() {
    if (gradient == null) {
      return new Object[] {WIRE_TAG, partition, attempt, stageAttempt, generation, seq};
    }
    return new Object[] {WIRE_TAG, partition, attempt, stageAttempt, generation, seq,
        gradient.lossSum, gradient.rows, gradient.gradient, gradient.computeNanos};
  }

  /** Whether {@code message} is a request's wire form. */
  static boolean isWire(Object message) {
    return message instanceof Object[] && ((Object[]) message).length >= 6
        && WIRE_TAG.equals(((Object[]) message)[0]);
  }

  static StageRequest fromWire(Object[] w) {
    int partition = (Integer) w[1];
    PartitionGradient g = w.length == 6 ? null
        : new PartitionGradient((Double) w[6], (Integer) w[7], w[8], (Long) w[9]);
    return new StageRequest(partition, (Integer) w[2], (Integer) w[3], (Integer) w[4],
        (Long) w[5], g);
  }

  /** The first request of a task attempt: no gradient yet, any current step will do. */
  static StageRequest join(int partition, int attempt, int stageAttempt, int generation) {
    return new StageRequest(partition, attempt, stageAttempt, generation, -1, null);
  }
}
