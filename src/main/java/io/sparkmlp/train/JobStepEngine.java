package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.MLP;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The elastic step engine: every step broadcasts the weights (as the run's kernel ships them,
 * {@link Kernel#shipWeights}: in the compute dtype) and runs one Spark job whose tasks return their partitions' summed gradients; the driver adds
 * them in partition order ({@code collect()} returns results by partition index, whatever the
 * order tasks finish in) and destroys the broadcast. Works with any number of partitions, with
 * dynamic allocation, and survives task retries and executor loss through Spark's own
 * recomputation: a retried task recomputes exactly the same gradient.
 */
final class JobStepEngine implements StepEngine {
  private final JavaSparkContext jsc;
  private final Dataset train;
  private final StepSpec spec;
  /**
   * The run's kernel on the driver: ships the weights (float32 into a buffer refilled every step,
   * after the previous step's job has finished) and adds up the gradients.
   */
  private final Kernel kernel;

  JobStepEngine(JavaSparkContext jsc, Dataset train, MLP mlp, TrainConfig config, String runId,
      int batchSize) {
    this.jsc = jsc;
    this.train = train;
    this.spec = StepSpec.of(runId, mlp, config, train.numRows(), batchSize);
    this.kernel = Kernel.cpu(mlp, config.dtype(), PartitionStepper.CHUNK_ROWS);
  }

  @Override
  public StepTotals step(double[] params, int epoch, int step, double[] gradSum) {
    long start = System.nanoTime();
    Broadcast<Object> weights = jsc.broadcast(kernel.shipWeights(params));
    long broadcastNanos = System.nanoTime() - start;
    List<PartitionGradient> parts;
    try {
      parts = train.blocks().mapPartitions(new StepTask(spec, epoch, step, weights)).collect();
    } finally {
      weights.destroy();
    }
    return StepTotals.sum(parts, kernel, gradSum, broadcastNanos);
  }

  @Override
  public String name() {
    return "job";
  }

  @Override
  public void close() {
    PartitionStepper.release(spec.runId());
  }

  /** The task of one step: the partition's gradient from its cached {@link PartitionStepper}. */
  private static final class StepTask implements FlatMapFunction<Iterator<Block>, PartitionGradient> {
    private static final long serialVersionUID = 1L;
    private final StepSpec spec;
    private final int epoch;
    private final int step;
    private final Broadcast<Object> weights;

    StepTask(StepSpec spec, int epoch, int step, Broadcast<Object> weights) {
      this.spec = spec;
      this.epoch = epoch;
      this.step = step;
      this.weights = weights;
    }

    @Override
    public Iterator<PartitionGradient> call(Iterator<Block> blocks) {
      if (!blocks.hasNext()) {
        throw new IllegalStateException("partition " + TaskContext.getPartitionId() + " has no block");
      }
      Block block = blocks.next();
      PartitionStepper stepper = PartitionStepper.forPartition(spec, block.partition());
      return Collections.singletonList(stepper.step(block, weights.value(), epoch, step))
          .iterator();
    }
  }
}
