package io.sparkmlp.train;

/**
 * A stage task's first message to the driver's {@link StageEndpoint}: "partition p, attempt a of
 * launch g, runs on executor e, whose reduction-tree server is at host:port". The driver answers
 * once every partition has joined, with the {@link NodePlan} of the task's executor.
 *
 * <p>It crosses Spark's RPC layer as {@link #toWire()}, an {@code Object[]} of JDK types only:
 * the receiving RPC threads deserialize with the JVM's class loader, which on a real cluster
 * cannot see classes of the application jar.
 */
final class StageJoin {
  /** First element of a join's wire form. */
  static final String TAG = "spark-mlp/stage-join/2";
  /** First element of a task's "my node is set up" message; then partition, generation. */
  static final String READY_TAG = "spark-mlp/stage-ready/2";

  final int partition;
  final int attempt;
  final int stageAttempt;
  final int generation;
  final String executorId;
  final String host;
  final int port;

  StageJoin(int partition, int attempt, int stageAttempt, int generation, String executorId,
      String host, int port) {
    this.partition = partition;
    this.attempt = attempt;
    this.stageAttempt = stageAttempt;
    this.generation = generation;
    this.executorId = executorId;
    this.host = host;
    this.port = port;
  }

  Object[] toWire() {
    return new Object[] {TAG, partition, attempt, stageAttempt, generation, executorId, host, port};
  }

  static boolean isWire(Object message) {
    return message instanceof Object[] && ((Object[]) message).length == 8
        && TAG.equals(((Object[]) message)[0]);
  }

  static StageJoin fromWire(Object[] w) {
    return new StageJoin((Integer) w[1], (Integer) w[2], (Integer) w[3], (Integer) w[4],
        (String) w[5], (String) w[6], (Integer) w[7]);
  }

  static Object[] ready(int partition, int generation) {
    return new Object[] {READY_TAG, partition, generation};
  }

  static boolean isReady(Object message) {
    return message instanceof Object[] && ((Object[]) message).length == 3
        && READY_TAG.equals(((Object[]) message)[0]);
  }
}
