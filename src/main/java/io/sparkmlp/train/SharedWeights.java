package io.sparkmlp.train;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.train.reduce.WeightChunks;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The job engine's one decoded copy of a step's weights per executor JVM: the first task of the
 * step decodes the broadcast chunks into the run's weights array, the executor's other tasks of
 * that step use the same array. Steps of a run never overlap (the driver waits for each job), so
 * one array per run is reused step after step.
 */
final class SharedWeights {
  private static final Map<String, SharedWeights> RUNS = new HashMap<>();

  private final Object weights;
  private long broadcastId = -1;

  private SharedWeights(Dtype dtype, int length) {
    this.weights = dtype == Dtype.FLOAT32 ? new float[length] : new double[length];
  }

  /**
   * The weights of broadcast {@code broadcastId} of run {@code runId} ({@code float[]} or
   * {@code double[]}), decoded from {@code chunks} once per JVM.
   */
  static synchronized Object of(String runId, long broadcastId, Supplier<byte[][]> chunks,
      Dtype dtype, int length) {
    SharedWeights s = RUNS.get(runId);
    if (s == null) {
      RUNS.keySet().removeIf(k -> !k.equals(runId));
      s = new SharedWeights(dtype, length);
      RUNS.put(runId, s);
    }
    if (s.broadcastId != broadcastId) {
      WeightChunks.decodeAll(chunks.get(), s.weights);
      s.broadcastId = broadcastId;
    }
    return s.weights;
  }

  /** Drops run {@code runId}'s array in this JVM. */
  static synchronized void release(String runId) {
    RUNS.remove(runId);
  }
}
