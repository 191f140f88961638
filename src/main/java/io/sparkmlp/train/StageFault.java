package io.sparkmlp.train;

/**
 * A test hook of the stage engine: makes the first attempt of one partition's stage task fail
 * once, to show that a restarted attempt rejoins at the current step. Read from the system
 * property {@value #PROPERTY} of the JVM running the task (the driver's in local mode), as
 * {@code partition:step} or {@code partition:step:after}, {@code step} being the 0-based global
 * step of the run:
 *
 * <ul>
 *   <li>{@code before} (default): the task throws on receiving that step's weights, before
 *       computing, so the retried attempt must compute the step;
 *   <li>{@code after}: the task delivers that step's gradient and then throws, so the retried
 *       attempt must not deliver it again and waits for the next step.
 * </ul>
 *
 * It fires once per run, partition and step in a JVM (the relaunched stage's tasks are attempt 0
 * of a new job), on the first attempt of a task, so Spark's retry (up to
 * {@code spark.task.maxFailures}, e.g. master {@code local[2,4]}) and the engine's relaunch
 * succeed. Unset, it does nothing.
 */
final class StageFault {
  static final String PROPERTY = "spark.mlp.test.failAtStep";
  private static final StageFault NONE = new StageFault(null, -1, false);
  private static final java.util.Set<String> FIRED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final String key;
  private final long step;
  private final boolean afterDelivery;

  private StageFault(String key, long step, boolean afterDelivery) {
    this.key = key;
    this.step = step;
    this.afterDelivery = afterDelivery;
  }

  /** The fault planned for this attempt of {@code partition} in run {@code runId}, or none. */
  static StageFault forTask(String runId, int partition, int attempt) {
    String spec = System.getProperty(PROPERTY);
    if (spec == null || attempt != 0) {
      return NONE;
    }
    String[] f = spec.split(":");
    if (f.length < 2 || f.length > 3 || f.length == 3 && !f[2].matches("before|after")) {
      throw new IllegalArgumentException(PROPERTY + " must be partition:step[:before|after], got '"
          + spec + "'");
    }
    if (Integer.parseInt(f[0]) != partition) {
      return NONE;
    }
    return new StageFault(runId + "/" + spec, Long.parseLong(f[1]),
        f.length == 3 && f[2].equals("after"));
  }

  boolean beforeCompute(long seq) {
    return seq == step && !afterDelivery && FIRED.add(key);
  }

  boolean afterDelivery(long seq) {
    return seq == step && afterDelivery && FIRED.add(key);
  }

  static IllegalStateException injected(int partition, long seq) {
    return new IllegalStateException("injected failure of partition " + partition + " at step "
        + seq + " (" + PROPERTY + ")");
  }
}
