package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.gpu.DeviceChoice;
import io.sparkmlp.gpu.DeviceSelector;
import io.sparkmlp.gpu.GpuBackend;
import io.sparkmlp.nn.Kernel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The executor side of a training step for one partition: selects the partition's rows of the
 * step's batch ({@link BatchPlan}) and runs the kernel's forward and backward pass on them (the
 * kernel gathers them into its buffers unless they are consecutive in the block).
 *
 * <p>Kernel (with its gather and gradient buffers) and the epoch's plan live as long as the
 * executor JVM and are reused by every step of the run ({@link #forPartition}); nothing
 * proportional to the rows is allocated per step. The cache is only an optimisation: a fresh
 * stepper computes exactly the same gradient.
 *
 * <p>The kernel is chosen once per stepper by {@link DeviceSelector}: the CPU kernel of the
 * dtype, or a CUDA kernel on the GPU Spark assigned the task (which runs sparse blocks on its
 * CPU kernel's sparse first layer, as it multiplies dense rows only).
 */
final class PartitionStepper {
  /** Rows per kernel chunk; fixed, so results never depend on how many rows a task sees. */
  static final int CHUNK_ROWS = 1024;
  private static final Map<String, PartitionStepper> CACHE = new ConcurrentHashMap<>();

  private final StepSpec spec;
  private final Kernel kernel;
  private int planEpoch = -1;
  private BatchPlan plan;
  /** The newest launch of the stage engine that has computed here (0: the job engine's). */
  private int launch;

  private PartitionStepper(StepSpec spec) {
    this.spec = spec;
    DeviceChoice choice = DeviceSelector.forCurrentTask(spec.device());
    this.kernel = choice.gpu()
        ? GpuBackend.newKernel(spec.mlp(), spec.dtype(), CHUNK_ROWS, choice.address())
        : Kernel.cpu(spec.mlp(), spec.dtype(), CHUNK_ROWS);
  }

  /**
   * The stepper of {@code partition} in the run of {@code spec}, created on first use. Steppers
   * of other runs are dropped, so a JVM holds the buffers of one run at a time.
   */
  static PartitionStepper forPartition(StepSpec spec, int partition) {
    String run = spec.runId() + "/";
    String key = run + partition;
    PartitionStepper s = CACHE.get(key);
    if (s == null) {
      drop(k -> !k.startsWith(run));
      s = new PartitionStepper(spec);
      CACHE.put(key, s);
    }
    return s;
  }

  /** Drops the cached state of run {@code runId} in this JVM. */
  static void release(String runId) {
    drop(k -> k.startsWith(runId + "/"));
  }

  /** Removes the matching steppers, freeing their kernels' GPU memory. */
  private static void drop(Predicate<String> keys) {
    CACHE.entrySet().removeIf(e -> {
      if (keys.test(e.getKey())) {
        e.getValue().close();
        return true;
      }
      return false;
    });
  }

  private synchronized void close() {
    kernel.close();
  }

  /**
   * The summed gradient and loss of this partition's rows in step {@code step} of
   * {@code epoch}, with {@code weights} as the driver shipped them ({@link Kernel#shipWeights}).
   * The gradient is the kernel's buffer, valid until the next call.
   *
   * @param launch the stage engine's launch of the calling task (0 for the job engine). A task
   *     of an older launch than one that already computed here is refused: it outlived its
   *     cancelled launch, and computing would overwrite the buffer that the new launch's task
   *     has handed on (in local mode the driver reads it by reference).
   * @throws IllegalStateException for such a stale task
   */
  synchronized PartitionGradient step(Block block, Object weights, int epoch, int step,
      int launch) {
    if (launch < this.launch) {
      throw new IllegalStateException("a task of launch " + launch + " of run " + spec.runId()
          + " (partition " + block.partition() + ") outlived it: launch " + this.launch
          + " computes this partition now");
    }
    this.launch = launch;
    long start = System.nanoTime();
    if (planEpoch != epoch) {
      plan = BatchPlan.forPartition(spec.numRows(), block.firstRow(), block.rows(),
          spec.batchSize(), spec.shuffle(), spec.seed(), epoch);
      planEpoch = epoch;
    }
    int from = plan.batchStart(step);
    int m = plan.batchStart(step + 1) - from;
    kernel.loadWeights(weights, spec.runId() + "/" + epoch + "/" + step);
    double loss = kernel.forwardBackward(block, plan.localRows(), from, m);
    return new PartitionGradient(loss, m, block.weightSum(plan.localRows(), from, m),
        kernel.gradient(), System.nanoTime() - start);
  }
}
