package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.train.reduce.EncodedPartial;
import io.sparkmlp.train.reduce.PartialSum;
import io.sparkmlp.train.reduce.RunKey;
import io.sparkmlp.train.reduce.WeightChunks;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The elastic step engine: every step broadcasts the weights and runs one Spark job. Works with
 * any number of partitions, with dynamic allocation, and survives task retries and executor loss
 * through Spark's own recomputation: a retried task recomputes exactly the same gradient.
 *
 * <p>The weights are encoded once per step as little-endian chunks in the compute dtype (the
 * stage engine's wire format) and broadcast as byte arrays; each executor decodes them once for
 * all its tasks ({@link SharedWeights}). Each task returns its partition's result encoded as an
 * exact partial sum ({@link EncodedPartial}). With at most {@value StageStepEngine#FAN_IN_CONF}
 * partitions the driver adds them into its own sum; with more, Spark's tree aggregation merges
 * them on the executors in ⌈log_k P⌉ levels and one sum reaches the driver. Every merge is
 * exact, so the gradient has the same bits as the stage engine's, whatever the grouping.
 */
final class JobStepEngine implements StepEngine {
  private final JavaSparkContext jsc;
  private final Dataset train;
  private final MLP mlp;
  private final TrainConfig config;
  private final String runId;
  private final StepSpec spec;
  private final RunKey key = new RunKey(UUID.randomUUID(), 0);
  private final int batchSize;
  private final int fanIn;
  private final WeightChunks weights;
  private final PartialSum sum;

  JobStepEngine(JavaSparkContext jsc, Dataset train, MLP mlp, TrainConfig config, String runId,
      int batchSize, int fanIn) {
    this.jsc = jsc;
    this.train = train;
    this.mlp = mlp;
    this.config = config;
    this.runId = runId;
    this.batchSize = batchSize;
    this.fanIn = fanIn;
    this.spec = StepSpec.of(runId, mlp, config, train.numRows(), batchSize);
    this.weights = new WeightChunks(config.dtype(), mlp.numParameters(), PartialSum.RANGE, false);
    this.sum = new PartialSum(mlp.numParameters());
  }

  @Override
  public StepTotals step(double[] params, int epoch, int step) {
    long start = System.nanoTime();
    ByteBuffer[] chunks = weights.encode(key, 0, epoch, step, params);
    byte[][] bytes = new byte[chunks.length][];
    for (int c = 0; c < chunks.length; c++) {
      bytes[c] = chunks[c].array();
    }
    Broadcast<byte[][]> b = jsc.broadcast(bytes);
    long broadcastNanos = System.nanoTime() - start;
    JavaRDD<EncodedPartial> partials;
    List<EncodedPartial> parts;
    try {
      partials = train.blocks().mapPartitions(new StepTask(spec, epoch, step, b));
      int p = train.numPartitions();
      if (p <= fanIn) {
        parts = partials.collect();
      } else {
        int depth = (int) Math.ceil(Math.log(p) / Math.log(fanIn));
        Function2<EncodedPartial, EncodedPartial, EncodedPartial> merge = EncodedPartial::merge;
        parts = List.of(partials.treeAggregate(new EncodedPartial(mlp.numParameters()), merge,
            merge, depth, true));
      }
    } finally {
      b.destroy();
    }
    long sumStart = System.nanoTime();
    sum.clear();
    long bytesIn = 0;
    for (EncodedPartial e : parts) {
      e.addTo(sum);
      bytesIn += e.bytes();
    }
    long bytesOut = 0;
    for (byte[] c : bytes) {
      bytesOut += c.length;
    }
    return new StepTotals(sum, broadcastNanos, System.nanoTime() - sumStart, bytesOut, bytesIn);
  }

  @Override
  public String name() {
    return "job";
  }

  @Override
  public void close() {
    PartitionStepper.release(runId);
    SharedWeights.release(runId);
  }

  /** The task of one step: the partition's gradient from its cached {@link PartitionStepper}. */
  private static final class StepTask
      implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<Block>, EncodedPartial> {
    private static final long serialVersionUID = 1L;
    private final StepSpec spec;
    private final int epoch;
    private final int step;
    private final Broadcast<byte[][]> weights;

    StepTask(StepSpec spec, int epoch, int step, Broadcast<byte[][]> weights) {
      this.spec = spec;
      this.epoch = epoch;
      this.step = step;
      this.weights = weights;
    }

    @Override
    public Iterator<EncodedPartial> call(Iterator<Block> blocks) {
      if (!blocks.hasNext()) {
        throw new IllegalStateException("partition " + TaskContext.getPartitionId() + " has no block");
      }
      Block block = blocks.next();
      PartitionStepper stepper = PartitionStepper.forPartition(spec, block.partition());
      Object w = SharedWeights.of(spec.runId(), weights.id(), weights::value, spec.dtype(),
          spec.mlp().numParameters());
      PartitionGradient g = stepper.step(block, w, epoch, step, 0);
      return List.of(EncodedPartial.ofPartition(g.gradient, g.lossSum, g.rows, g.weightSum,
          g.computeNanos))
          .iterator();
    }
  }
}
