package io.sparkmlp.train.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A tree node's sum: partitions added from several threads at once, and children's sums merged
 * range by range from their wire encoding or by reference, give the same bits as one sum of all
 * partitions in any order.
 */
class PartialSumTest {
  @Test
  void anyTreeOfNodesAndThreadsGivesTheSameBits() throws Exception {
    Random rnd = new Random(3);
    int length = 1000;
    int partitions = 12;
    List<float[]> grads = new ArrayList<>();
    double[] losses = new double[partitions];
    for (int p = 0; p < partitions; p++) {
      float[] g = new float[length];
      for (int i = 0; i < length; i++) {
        g[i] = (float) (rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(60) - 30));
      }
      grads.add(g);
      losses[p] = rnd.nextDouble() * Math.scalb(1.0, rnd.nextInt(80) - 40);
    }
    PartialSum reference = new PartialSum(length, 1000);
    for (int p = 0; p < partitions; p++) {
      reference.addPartition(grads.get(p), losses[p], 10 + p, p, 0);
    }
    double[] want = new double[length];
    reference.roundTo(want);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int trial = 0; trial < 30; trial++) {
        int rangeSize = 1 + rnd.nextInt(400);
        int nodes = 1 + rnd.nextInt(5);
        List<PartialSum> sums = new ArrayList<>();
        for (int k = 0; k < nodes; k++) {
          sums.add(new PartialSum(length, rangeSize));
        }
        List<Future<?>> adds = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
          order.add(p);
        }
        Collections.shuffle(order, rnd);
        for (int p : order) {
          PartialSum target = sums.get(rnd.nextInt(nodes));
          int start = rnd.nextInt(target.numRanges());
          adds.add(pool.submit(() -> target.addPartition(grads.get(p), losses[p], 10 + p, p, start)));
        }
        for (Future<?> f : adds) {
          f.get();
        }
        PartialSum root = new PartialSum(length, rangeSize);
        for (PartialSum s : sums) {
          if (rnd.nextBoolean()) {
            root.addAll(s);
          } else {
            List<Integer> ranges = new ArrayList<>();
            for (int r = 0; r < s.numRanges(); r++) {
              ranges.add(r);
            }
            Collections.shuffle(ranges, rnd);
            for (int r : ranges) {
              ByteBuffer buf = ByteBuffer.allocate(s.maxEncodedBytes(r));
              s.encodeRange(r, r == ranges.get(ranges.size() - 1), buf);
              buf.flip();
              assertEquals(r, root.addEncodedRange(buf));
              assertEquals(0, buf.remaining());
            }
          }
        }
        double[] got = new double[length];
        root.roundTo(got);
        for (int i = 0; i < length; i++) {
          assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
              "trial " + trial + " element " + i);
        }
        assertEquals(reference.lossSum(), root.lossSum());
        assertEquals(reference.rows(), root.rows());
        assertEquals(partitions, root.terms());
        assertEquals(partitions - 1, root.maxComputeNanos());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCorruptRangeIndexIsRefused() {
    PartialSum s = new PartialSum(10, 4);
    s.addPartition(new double[10], 1.0, 1, 1, 0);
    ByteBuffer buf = ByteBuffer.allocate(s.maxEncodedBytes(2));
    s.encodeRange(2, true, buf);
    buf.flip();
    buf.putInt(0, 7);
    assertThrows(IllegalArgumentException.class, () -> new PartialSum(10, 4).addEncodedRange(buf));
  }
}
