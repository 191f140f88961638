package io.sparkmlp.cli.bench;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.optim.Adam;
import io.sparkmlp.optim.Optimizer;
import io.sparkmlp.optim.OptimizerState;
import io.sparkmlp.train.reduce.PartialSum;
import io.sparkmlp.train.reduce.RunKey;
import io.sparkmlp.train.reduce.WeightChunks;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.UUID;

/**
 * The per-parameter CPU costs of one training step's reduction, measured in this JVM on a
 * vector of the model's size (medians of repeated runs after warm-up): an exact merge of one
 * float32 partial sum into a non-empty sum, encoding the weights for the wire and decoding
 * them, and the driver's own passes (the mean gradient, Adam, float32 rounding). The cost
 * model of figure 7 is fed with them.
 */
final class ReduceCosts {
  final double mergeNanos;
  final double encodeNanos;
  final double decodeNanos;
  final double driverNanos;

  private ReduceCosts(double mergeNanos, double encodeNanos, double decodeNanos,
      double driverNanos) {
    this.mergeNanos = mergeNanos;
    this.encodeNanos = encodeNanos;
    this.decodeNanos = decodeNanos;
    this.driverNanos = driverNanos;
  }

  static ReduceCosts measure(int params) {
    Random rnd = new Random(1);
    float[] g1 = new float[params];
    float[] g2 = new float[params];
    double[] p = new double[params];
    for (int i = 0; i < params; i++) {
      g1[i] = (float) (rnd.nextGaussian() * 1e-3);
      g2[i] = (float) (rnd.nextGaussian() * 1e-3);
      p[i] = (float) rnd.nextGaussian();
    }
    PartialSum sum = new PartialSum(params);
    PartialSum other = new PartialSum(params);
    other.addPartition(g2, 1, 1, 0, 0);
    WeightChunks chunks = new WeightChunks(Dtype.FLOAT32, params, PartialSum.RANGE, false);
    RunKey key = new RunKey(UUID.randomUUID(), 0);
    float[] w = new float[params];
    double[] mean = new double[params];
    Adam adam = new Adam(0.9, 0.999, 1e-8, 0, false);
    OptimizerState state = adam.newState(params);
    int reps = 15;
    double[] merge = new double[reps];
    double[] encode = new double[reps];
    double[] decode = new double[reps];
    double[] driver = new double[reps];
    for (int rep = -10; rep < reps; rep++) {
      sum.clear();
      sum.addPartition(g1, 1, 1, 0, 0);
      long t0 = System.nanoTime();
      sum.addAll(other);
      long t1 = System.nanoTime();
      ByteBuffer[] m = chunks.encode(key, rep, 0, 0, p);
      long t2 = System.nanoTime();
      byte[][] bytes = new byte[m.length][];
      for (int c = 0; c < m.length; c++) {
        bytes[c] = m[c].array();
      }
      long t3 = System.nanoTime();
      WeightChunks.decodeAll(bytes, w);
      long t4 = System.nanoTime();
      sum.meanTo(mean, 32);
      Optimizer.Update u = adam.begin(1e-3, state);
      for (int from = 0; from < params; from += 8192) {
        int to = Math.min(params, from + 8192);
        u.apply(p, mean, from, to);
        Dtype.FLOAT32.roundInPlace(p, from, to);
      }
      long t5 = System.nanoTime();
      if (rep >= 0) {
        merge[rep] = (t1 - t0) / (double) params;
        encode[rep] = (t2 - t1) / (double) params;
        decode[rep] = (t4 - t3) / (double) params;
        driver[rep] = (t5 - t4) / (double) params;
      }
    }
    return new ReduceCosts(Percentiles.median(merge), Percentiles.median(encode),
        Percentiles.median(decode), Percentiles.median(driver));
  }
}
