package io.sparkmlp.gpu;

import io.sparkmlp.nn.Named;

/**
 * Where a partition's forward and backward passes run: {@code cpu} always on the CPU kernels,
 * {@code gpu} on the CUDA backend or fail, {@code auto} on the GPU when Spark assigned the task
 * one and the backend loads, else on the CPU. See {@link DeviceChoice#decide}.
 */
public enum Device implements Named {
  AUTO, CPU, GPU;

  /** The device named {@code s} (see {@link Named#parse}). */
  public static Device parse(String s) {
    return Named.parse(Device.class, "device", s);
  }
}
