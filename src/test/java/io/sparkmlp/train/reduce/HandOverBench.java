package io.sparkmlp.train.reduce;

import io.sparkmlp.nn.Dtype;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A benchmark, not a test: the in-JVM hand-over of one step between the driver's root and an
 * executor node with {@code tasks} tasks — publish the weights, every task wakes, spins
 * {@code workMicros} µs and contributes a 4096-parameter gradient, the root has the sum — as
 * median, p90 and mean µs over 3500 steps after 500 of warm-up. What it isolates is how fast
 * all of a node's waiting tasks wake (BENCHMARKS.md, "the tasks' wake-up").
 *
 * <pre>
 * mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.sparkmlp.train.reduce.HandOverBench 8 0
 * </pre>
 */
public final class HandOverBench {
  private static final int LENGTH = 4096;

  private HandOverBench() {}

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(args[0]);
    long workNanos = Long.parseLong(args[1]) * 1000;
    RunKey key = new RunKey(UUID.randomUUID(), 1);
    ReduceNode[] rootHolder = new ReduceNode[1];
    ReduceNode node = new ReduceNode(key, 0, Dtype.FLOAT32, LENGTH,
        Link.local(() -> rootHolder[0]), List.of(), 1, tasks);
    ReduceNode root = new ReduceNode(key, TreeTopology.ROOT, Dtype.FLOAT32, LENGTH, null,
        List.of(Link.local(() -> node)), 0, 0);
    rootHolder[0] = root;
    for (int k = 0; k < tasks; k++) {
      int rank = k;
      Thread t = new Thread(() -> runTask(node, rank, workNanos), "task-" + k);
      t.setDaemon(true);
      t.start();
    }
    double[] params = new double[LENGTH];
    int steps = 4000;
    long[] nanos = new long[steps];
    for (int s = 0; s < steps; s++) {
      long t0 = System.nanoTime();
      root.publish(s, 0, s, params);
      if (root.awaitSum(s, t0 + 60_000_000_000L, () -> false) == null) {
        throw new IllegalStateException("no sum for step " + s);
      }
      nanos[s] = System.nanoTime() - t0;
    }
    root.finish();
    long[] timed = Arrays.copyOfRange(nanos, 500, steps);
    Arrays.sort(timed);
    System.out.printf(Locale.ROOT, "%d tasks, %d µs of work each: step median %.0f µs, p90 %.0f,"
        + " mean %.0f%n", tasks, workNanos / 1000, timed[timed.length / 2] / 1e3,
        timed[timed.length * 9 / 10] / 1e3, Arrays.stream(timed).average().orElse(0) / 1e3);
  }

  private static void runTask(ReduceNode node, int rank, long workNanos) {
    float[] gradient = new float[LENGTH];
    try {
      long done = -1;
      ReduceNode.Work w;
      while ((w = node.awaitWeights(done, 60_000, () -> false)) != null) {
        long end = System.nanoTime() + workNanos;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        node.contribute(w.seq, gradient, 1, 1, 1, 0, rank);
        done = w.seq;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
