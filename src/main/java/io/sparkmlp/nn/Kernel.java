package io.sparkmlp.nn;

/**
 * The forward and backward passes of an {@link MLP} in one dtype: the one interface behind
 * which the dtype and the device live, chosen once ({@link #cpu} here, or
 * {@code io.sparkmlp.gpu.GpuBackend.newKernel} for a GPU) and driven the same way everywhere.
 * Implemented by {@link Float32Kernel} and {@link Float64Kernel} (BLAS on the CPU, both expanded
 * from one template) and by the CUDA kernels of both dtypes.
 *
 * <p>A training step crosses a kernel at three points, each one method:
 * <pre>
 *   task    kernel.loadWeights(w, version)               weights in this dtype, as they arrived
 *           loss = kernel.forwardBackward(block, order, from, m)   gather, forward, backward
 *           g = kernel.gradient()                         the summed gradient, in this dtype
 * </pre>
 * Weights arrive as a {@code float[]} or {@code double[]} decoded from the step engines' wire
 * format, and the gradient leaves as one, to be summed exactly with the other partitions'
 * ({@code io.sparkmlp.train.reduce}). Scoring loads the driver's parameters directly
 * ({@link #loadWeights(double[])}, through {@link #shipWeights}) and calls {@link #forward}.
 *
 * <p>Not thread-safe: one kernel per task. A kernel allocates its work buffers on its first
 * pass.
 */
public interface Kernel {

  /** The CPU kernel of {@code dtype}, with work buffers for {@code chunkRows} rows. */
  static Kernel cpu(MLP mlp, Dtype dtype, int chunkRows) {
    return switch (dtype) {
      case FLOAT32 -> new Float32Kernel(mlp, chunkRows);
      case FLOAT64 -> new Float64Kernel(mlp, chunkRows);
    };
  }

  MLP mlp();

  /**
   * The driver's parameters ({@link MLP}'s flat layout) as they travel to the tasks: rounded to
   * this dtype into a buffer of this kernel that the next call reuses (float32), or the array
   * itself (float64).
   */
  Object shipWeights(double[] params);

  /**
   * Loads weights that {@link #shipWeights} made, here or in another JVM, for the passes that
   * follow; they are used in place, not copied. {@code version} names their values (equal
   * names, equal values) so that a GPU copies them once per step for all kernels of its JVM;
   * null when they have no name.
   */
  void loadWeights(Object shipped, String version);

  /** Loads the driver's parameters themselves (scoring): {@code shipWeights} then load. */
  default void loadWeights(double[] params) {
    loadWeights(shipWeights(params), null);
  }

  /**
   * Forward and backward pass over rows {@code order[from..from+m)} of {@code data} (rows
   * {@code from..from+m} when {@code order} is null), gathered into the kernel's buffers unless
   * they are consecutive and in this dtype, with the loaded weights. Their <b>summed</b> (not
   * averaged) gradient replaces {@link #gradient()}; returns their summed loss.
   */
  double forwardBackward(Examples data, int[] order, int from, int m);

  /**
   * The summed gradient of the last {@link #forwardBackward} in the parameter layout, in this
   * dtype, as it travels to the driver; the next pass overwrites it.
   */
  Object gradient();

  /**
   * Network outputs (logits for cross-entropy, predictions for MSE) of rows
   * {@code [row0, row0 + m)} of {@code data} with the loaded weights, widened to double and
   * written row-major (m, n_output) into {@code out} from {@code outOffset}.
   */
  void forward(Examples data, int row0, int m, double[] out, int outOffset);

  /** Frees what the kernel holds outside the Java heap (a GPU's memory); CPU kernels hold none. */
  default void close() {}
}
