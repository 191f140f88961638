package io.sparkmlp.train;

/**
 * A stage task's first message to the driver's {@link StageEndpoint}: "partitions p…, attempt a
 * of launch g, run on executor e, whose reduction-tree server is at host:port". A task holds one
 * partition, or several when the stage has fewer task slots than partitions. The driver answers
 * once every partition has joined, with the {@link NodePlan} of the task's executor.
 *
 * <p>It crosses Spark's RPC layer as {@link #toWire()}, an {@code Object[]} of JDK types only:
 * the receiving RPC threads deserialize with the JVM's class loader, which on a real cluster
 * cannot see classes of the application jar.
 */
final class StageJoin {
  /** First element of a join's wire form. */
  static final String TAG = "spark-mlp/stage-join/2";
  /** First element of a task's "my node is set up" message; then its first partition, generation. */
  static final String READY_TAG = "spark-mlp/stage-ready/2";

  final int[] partitions;
  final int attempt;
  final int stageAttempt;
  final int generation;
  final String executorId;
  final String host;
  final int port;

  StageJoin(int[] partitions, int attempt, int stageAttempt, int generation, String executorId,
      String host, int port) {
    this.partitions = partitions;
    this.attempt = attempt;
    this.stageAttempt = stageAttempt;
    this.generation = generation;
    this.executorId = executorId;
    this.host = host;
    this.port = port;
  }

  Object[] toWire() {
    return new Object[] {TAG, partitions, attempt, stageAttempt, generation, executorId, host, port};
  }

  static boolean isWire(Object message) {
    return message instanceof Object[] && ((Object[]) message).length == 8
        && TAG.equals(((Object[]) message)[0]);
  }

  static StageJoin fromWire(Object[] w) {
    return new StageJoin((int[]) w[1], (Integer) w[2], (Integer) w[3], (Integer) w[4],
        (String) w[5], (String) w[6], (Integer) w[7]);
  }

  /** The first of the task's partitions: names the task in "ready" messages. */
  int firstPartition() {
    return partitions[0];
  }

  static Object[] ready(int firstPartition, int generation) {
    return new Object[] {READY_TAG, firstPartition, generation};
  }

  static boolean isReady(Object message) {
    return message instanceof Object[] && ((Object[]) message).length == 3
        && READY_TAG.equals(((Object[]) message)[0]);
  }
}
