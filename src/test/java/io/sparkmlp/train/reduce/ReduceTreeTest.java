package io.sparkmlp.train.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Dtype;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Reduction trees of nodes in one JVM (in-JVM links), several levels deep, with tasks on
 * threads: every task gets the step's weights, the root's sum of every step has the bits of
 * one flat exact sum of all partitions' gradients, and finish ends the tasks. Ranges complete
 * and travel up in any order (several ranges per vector).
 */
class ReduceTreeTest {
  private static final int LENGTH = 2 * PartialSum.RANGE + 1234;

  @Test
  void treesOfAnyShapeSumLikeOneFlatExactSum() throws Exception {
    Random rnd = new Random(9);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      for (int fanIn : new int[] {2, 3}) {
        int nodes = 6;
        TreeTopology t = new TreeTopology(nodes, fanIn);
        RunKey key = new RunKey(UUID.randomUUID(), 1);
        ReduceNode[] node = new ReduceNode[nodes];
        ReduceNode[] rootHolder = new ReduceNode[1];
        int[] tasks = new int[nodes];
        for (int i = 0; i < nodes; i++) {
          tasks[i] = 1 + rnd.nextInt(3);
        }
        for (int i = nodes - 1; i >= 0; i--) {
          List<Link> children = new ArrayList<>();
          for (int c = 0; c < t.numChildren(i); c++) {
            ReduceNode child = node[t.firstChild(i) + c];
            children.add(Link.local(() -> child));
          }
          int parent = t.parent(i);
          Supplier<ReduceNode> up = parent == TreeTopology.ROOT ? () -> rootHolder[0]
              : () -> node[parent];
          node[i] = new ReduceNode(key, i, Dtype.FLOAT32, LENGTH, Link.local(up), children,
              t.firstChild(i), tasks[i]);
        }
        List<Link> top = new ArrayList<>();
        for (int c = 0; c < t.numChildren(TreeTopology.ROOT); c++) {
          ReduceNode child = node[c];
          top.add(Link.local(() -> child));
        }
        ReduceNode root = new ReduceNode(key, TreeTopology.ROOT, Dtype.FLOAT32, LENGTH, null, top,
            0, 0);
        rootHolder[0] = root;
        int partitions = 0;
        for (int k : tasks) {
          partitions += k;
        }
        float[][] grads = new float[partitions][LENGTH];
        List<Future<Integer>> running = new ArrayList<>();
        int p = 0;
        for (int i = 0; i < nodes; i++) {
          for (int k = 0; k < tasks[i]; k++) {
            int part = p++;
            ReduceNode n = node[i];
            int rank = k;
            running.add(pool.submit(() -> {
              int steps = 0;
              long done = -1;
              ReduceNode.Work w;
              while ((w = n.awaitWeights(done, 60_000, () -> false)) != null) {
                float[] weights = (float[]) w.weights;
                for (int j = 0; j < LENGTH; j += 997) {
                  grads[part][j] = weights[j] * (part + 1) + (float) Math.scalb(1.0, part - 20);
                }
                n.contribute(w.seq, grads[part], part + 0.5, 10 + part, 10 + part, part, rank);
                done = w.seq;
                steps++;
              }
              return steps;
            }));
          }
        }
        double[] params = new double[LENGTH];
        for (long seq = 0; seq < 4; seq++) {
          for (int j = 0; j < LENGTH; j++) {
            params[j] = rnd.nextGaussian();
          }
          root.publish(seq, 0, (int) seq, params);
          PartialSum sum = root.awaitSum(seq, System.nanoTime() + 60_000_000_000L, () -> false);
          assertNotNull(sum, "step " + seq);
          PartialSum flat = new PartialSum(LENGTH);
          for (int q = 0; q < partitions; q++) {
            flat.addPartition(grads[q], q + 0.5, 10 + q, q, 0);
          }
          double[] want = new double[LENGTH];
          double[] got = new double[LENGTH];
          flat.roundTo(want);
          sum.roundTo(got);
          assertArrayEquals(want, got, "fan-in " + fanIn + " step " + seq);
          assertEquals(flat.lossSum(), sum.lossSum());
          assertEquals(flat.rows(), sum.rows());
          assertEquals(flat.weightSum(), sum.weightSum());
          assertEquals(partitions, sum.terms());
        }
        root.finish();
        for (Future<Integer> f : running) {
          assertEquals(4, f.get());
        }
        assertNull(node[nodes - 1].awaitWeights(3, 10, () -> false), "finished");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A task parked for the next weights comes back with them, with null when the tree finishes,
   * with the node's failure, or with InterruptedException when its thread is interrupted.
   */
  @Test
  void aWaitingTaskWakesForWeightsFinishFailureAndInterrupt() throws Exception {
    Object work = waitThrough(n -> n.onWeights(0, 2, 5, new double[] {1.5, -2, 3}));
    ReduceNode.Work w = (ReduceNode.Work) work;
    assertEquals(0, w.seq);
    assertEquals(2, w.epoch);
    assertEquals(5, w.step);
    assertArrayEquals(new float[] {1.5f, -2, 3}, (float[]) w.weights);
    assertNull(waitThrough(ReduceNode::finish));
    Object failed = waitThrough(n -> n.fail("node 0 lost its parent"));
    assertTrue(failed instanceof IllegalStateException
        && ((Exception) failed).getMessage().equals("node 0 lost its parent"), failed.toString());
    Object interrupted = waitThrough(null);
    assertTrue(interrupted instanceof InterruptedException, interrupted.toString());
  }

  /**
   * Runs a task that waits for weights on a fresh node, then, once it is parked, {@code event}
   * (null: an interrupt of the task); returns what the wait returned or threw.
   */
  private static Object waitThrough(Consumer<ReduceNode> event) throws Exception {
    RunKey key = new RunKey(UUID.randomUUID(), 1);
    ReduceNode root = new ReduceNode(key, TreeTopology.ROOT, Dtype.FLOAT32, 3, null, List.of(),
        0, 1);
    ReduceNode node = new ReduceNode(key, 0, Dtype.FLOAT32, 3, Link.local(() -> root),
        List.of(), 1, 1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<Thread> task = new AtomicReference<>();
      Future<Object> result = pool.submit(() -> {
        task.set(Thread.currentThread());
        try {
          return node.awaitWeights(-1, 600_000, () -> false);
        } catch (Exception e) {
          return e;
        }
      });
      while (task.get() == null || task.get().getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
      if (event != null) {
        event.accept(node);
      } else {
        task.get().interrupt();
      }
      return result.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }
}
