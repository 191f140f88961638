package io.sparkmlp.gpu;

/**
 * A forward and backward pass on a GPU with the contract of the CPU kernels'
 * {@code forwardBackward} ({@code io.sparkmlp.nn.Float32Kernel} / {@code Float64Kernel}):
 * the summed gradient of rows {@code [row0, row0 + m)} is added to {@code grad} and the
 * summed loss returned. Arrays are {@code float[]} for float32 and {@code double[]} for
 * float64. This interface names no JCuda type, so CPU-only JVMs load it without JCuda.
 */
public interface GpuKernel {

  /**
   * @param weightsKey identifies the values of {@code params} (run and step): equal keys mean
   *     equal values, so the weights are copied to the GPU once per step per executor JVM
   */
  double forwardBackward(String weightsKey, Object params, Object x, int row0, int m,
      int[] labels, Object targets, Object grad);

  /** Frees the kernel's device memory; the kernel is unusable afterwards. */
  void close();
}
