package io.sparkmlp.train;

import io.sparkmlp.gpu.Device;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.io.Serializable;

/**
 * What a task needs, besides a step's weights and its (epoch, step), to compute its partition's
 * gradient for any step of a run: the run (which names its cached {@link PartitionStepper}s),
 * the network, dtype and device, and what fixes every epoch's batches ({@link BatchPlan}): the
 * data set's row count, the global batch size, shuffling and the seed. Shipped with the tasks
 * of both step engines.
 */
record StepSpec(String runId, MLP mlp, Dtype dtype, Device device, long numRows, int batchSize,
    boolean shuffle, long seed) implements Serializable {

  /** The spec of run {@code runId} training {@code mlp} with {@code config}. */
  static StepSpec of(String runId, MLP mlp, TrainConfig config, long numRows, int batchSize) {
    return new StepSpec(runId, mlp, config.dtype(), config.device(), numRows, batchSize,
        config.shuffle(), config.seed());
  }
}
