package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.gpu.DeviceChoice;
import io.sparkmlp.gpu.DeviceSelector;
import io.sparkmlp.gpu.GpuBackend;
import io.sparkmlp.gpu.GpuKernel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Float32Kernel;
import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.SparseRows;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The executor side of a training step for one partition: selects the partition's rows of the
 * step's batch ({@link BatchPlan}), stacks them into a contiguous buffer (unless they already
 * are consecutive in the block) and runs the kernel's forward and backward pass.
 *
 * <p>Kernel, gather buffers, gradient buffer and the epoch's plan live as long as the executor
 * JVM and are reused by every step of the run ({@link #forPartition}); nothing proportional to
 * the rows is allocated per step. The cache is only an optimisation: a fresh stepper computes
 * exactly the same gradient.
 *
 * <p>The kernel is chosen once per stepper by {@link DeviceSelector}: the CPU kernels, or a
 * {@link GpuKernel} on the GPU Spark assigned the task (then the CPU kernels are not created).
 * Sparse blocks always run on the CPU kernels' sparse first layer (created on first use), as
 * the GPU kernel multiplies dense rows only.
 */
final class PartitionStepper {
  /** Rows per kernel chunk; fixed, so results never depend on how many rows a task sees. */
  static final int CHUNK_ROWS = 1024;
  private static final Map<String, PartitionStepper> CACHE = new ConcurrentHashMap<>();

  private final String runId;
  private final MLP mlp;
  private final Dtype dtype;
  private final GpuKernel gpu;
  private Float32Kernel kernel32;
  private Float64Kernel kernel64;
  private final float[] grad32;
  private final double[] grad64;
  private int planEpoch = -1;
  private BatchPlan plan;
  private float[] x32;
  private double[] x64;
  private float[] t32;
  private double[] t64;
  private int[] labels;
  /** The sparse rows of a shuffled batch, gathered (CSR). */
  private final SparseRows.GatherBuffers sparseBatch = new SparseRows.GatherBuffers();

  private PartitionStepper(String runId, MLP mlp, Dtype dtype, Device device) {
    this.runId = runId;
    this.mlp = mlp;
    this.dtype = dtype;
    boolean f32 = dtype == Dtype.FLOAT32;
    DeviceChoice choice = DeviceSelector.forCurrentTask(device);
    this.gpu = choice.gpu() ? GpuBackend.newKernel(mlp, dtype, CHUNK_ROWS, choice.address()) : null;
    boolean cpu = gpu == null;
    this.kernel32 = cpu && f32 ? new Float32Kernel(mlp, CHUNK_ROWS) : null;
    this.kernel64 = cpu && !f32 ? new Float64Kernel(mlp, CHUNK_ROWS) : null;
    this.grad32 = f32 ? new float[mlp.numParameters()] : null;
    this.grad64 = f32 ? null : new double[mlp.numParameters()];
  }

  /**
   * The stepper of {@code partition} in run {@code runId}, created on first use. Steppers of
   * other runs are dropped, so a JVM holds the buffers of one run at a time.
   */
  static PartitionStepper forPartition(String runId, int partition, MLP mlp, Dtype dtype,
      Device device) {
    String key = runId + "/" + partition;
    PartitionStepper s = CACHE.get(key);
    if (s == null) {
      drop(k -> !k.startsWith(runId + "/"));
      s = new PartitionStepper(runId, mlp, dtype, device);
      CACHE.put(key, s);
    }
    return s;
  }

  /** Drops the cached state of run {@code runId} in this JVM. */
  static void release(String runId) {
    drop(k -> k.startsWith(runId + "/"));
  }

  /** Removes the matching steppers, freeing their GPU memory. */
  private static void drop(Predicate<String> keys) {
    CACHE.entrySet().removeIf(e -> {
      if (keys.test(e.getKey())) {
        e.getValue().closeGpu();
        return true;
      }
      return false;
    });
  }

  private synchronized void closeGpu() {
    if (gpu != null) {
      gpu.close();
    }
  }

  /**
   * The summed gradient and loss of this partition's rows in step {@code step} of
   * {@code epoch}. {@code params} is a {@code float[]} (float32) or {@code double[]}.
   */
  synchronized PartitionGradient step(Block block, Object params, long numRows, int batchSize,
      boolean shuffle, long seed, int epoch, int step) {
    long start = System.nanoTime();
    if (planEpoch != epoch) {
      plan = BatchPlan.forPartition(numRows, block.firstRow(), block.rows(), batchSize, shuffle,
          seed, epoch);
      planEpoch = epoch;
    }
    int from = plan.batchStart(step);
    int m = plan.batchStart(step + 1) - from;
    int[] order = plan.localRows();
    boolean consecutive = m == 0 || order[from + m - 1] - order[from] == m - 1 && ascending(order, from, m);
    int row0 = consecutive && m > 0 ? order[from] : 0;
    double loss;
    if (block.isSparse()) {
      loss = m == 0 ? 0.0 : sparseStep(block, params, order, from, m, consecutive, row0);
    } else if (dtype == Dtype.FLOAT32) {
      Arrays.fill(grad32, 0f);
      float[] x = block.x32();
      float[] t = block.targets32();
      int[] y = block.labels();
      if (!consecutive) {
        gather32(block, order, from, m);
        x = x32;
        t = t32;
        y = block.labels() == null ? null : labels;
      }
      loss = m == 0 ? 0.0 : gpu != null
          ? gpu.forwardBackward(weightsKey(epoch, step), params, x, row0, m, y, t, grad32)
          : kernel32.forwardBackward((float[]) params, x, row0, m, y, t, grad32);
    } else {
      Arrays.fill(grad64, 0.0);
      double[] x = block.x64();
      double[] t = block.targets64();
      int[] y = block.labels();
      if (!consecutive) {
        gather64(block, order, from, m);
        x = x64;
        t = t64;
        y = block.labels() == null ? null : labels;
      }
      loss = m == 0 ? 0.0 : gpu != null
          ? gpu.forwardBackward(weightsKey(epoch, step), params, x, row0, m, y, t, grad64)
          : kernel64.forwardBackward((double[]) params, x, row0, m, y, t, grad64);
    }
    return new PartitionGradient(block.partition(), loss, m, grad32, grad64,
        System.nanoTime() - start);
  }

  /** The forward/backward pass of a step on sparse rows, on the CPU kernel of the dtype. */
  private double sparseStep(Block block, Object params, int[] order, int from, int m,
      boolean consecutive, int row0) {
    SparseRows x = block.sparse();
    int[] y = block.labels();
    if (dtype == Dtype.FLOAT32) {
      Arrays.fill(grad32, 0f);
      float[] t = block.targets32();
      if (!consecutive) {
        x = x.gather(order, from, m, sparseBatch);
        gatherTargets32(block, order, from, m);
        t = t32;
        y = block.labels() == null ? null : labels;
        row0 = 0;
      }
      if (kernel32 == null) {
        kernel32 = new Float32Kernel(mlp, CHUNK_ROWS);
      }
      return kernel32.forwardBackward((float[]) params, x, row0, m, y, t, grad32);
    }
    Arrays.fill(grad64, 0.0);
    double[] t = block.targets64();
    if (!consecutive) {
      x = x.gather(order, from, m, sparseBatch);
      gatherTargets64(block, order, from, m);
      t = t64;
      y = block.labels() == null ? null : labels;
      row0 = 0;
    }
    if (kernel64 == null) {
      kernel64 = new Float64Kernel(mlp, CHUNK_ROWS);
    }
    return kernel64.forwardBackward((double[]) params, x, row0, m, y, t, grad64);
  }

  /** Labels and float targets of rows {@code order[from..from+m)} into the gather buffers. */
  private void gatherTargets32(Block block, int[] order, int from, int m) {
    int k = block.numTargets();
    int capacity = Math.max(m, plan.maxBatchRows());
    if (labels == null || labels.length < capacity) {
      labels = new int[capacity];
      t32 = block.targets32() == null ? null : new float[capacity * k];
    }
    for (int i = 0; i < m; i++) {
      int r = order[from + i];
      if (t32 != null) {
        System.arraycopy(block.targets32(), r * k, t32, i * k, k);
      }
      if (block.labels() != null) {
        labels[i] = block.labels()[r];
      }
    }
  }

  /** Labels and double targets of rows {@code order[from..from+m)} into the gather buffers. */
  private void gatherTargets64(Block block, int[] order, int from, int m) {
    int k = block.numTargets();
    int capacity = Math.max(m, plan.maxBatchRows());
    if (labels == null || labels.length < capacity) {
      labels = new int[capacity];
      t64 = block.targets64() == null ? null : new double[capacity * k];
    }
    for (int i = 0; i < m; i++) {
      int r = order[from + i];
      if (t64 != null) {
        System.arraycopy(block.targets64(), r * k, t64, i * k, k);
      }
      if (block.labels() != null) {
        labels[i] = block.labels()[r];
      }
    }
  }

  /** Names the weights of one step of this run: the GPU copies them once per key. */
  private String weightsKey(int epoch, int step) {
    return runId + "/" + epoch + "/" + step;
  }

  private static boolean ascending(int[] order, int from, int m) {
    for (int i = from + 1; i < from + m; i++) {
      if (order[i] != order[i - 1] + 1) {
        return false;
      }
    }
    return true;
  }

  private void gather32(Block block, int[] order, int from, int m) {
    int n = block.numFeatures();
    int capacity = Math.max(m, plan.maxBatchRows());
    if (x32 == null || x32.length < capacity * n) {
      x32 = new float[capacity * n];
    }
    for (int i = 0; i < m; i++) {
      System.arraycopy(block.x32(), order[from + i] * n, x32, i * n, n);
    }
    gatherTargets32(block, order, from, m);
  }

  private void gather64(Block block, int[] order, int from, int m) {
    int n = block.numFeatures();
    int capacity = Math.max(m, plan.maxBatchRows());
    if (x64 == null || x64.length < capacity * n) {
      x64 = new double[capacity * n];
    }
    for (int i = 0; i < m; i++) {
      System.arraycopy(block.x64(), order[from + i] * n, x64, i * n, n);
    }
    gatherTargets64(block, order, from, m);
  }
}
