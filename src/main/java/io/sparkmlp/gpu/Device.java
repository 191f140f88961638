package io.sparkmlp.gpu;

import java.util.Locale;

/**
 * Where a partition's forward and backward passes run: {@code cpu} always on the CPU kernels,
 * {@code gpu} on the CUDA backend or fail, {@code auto} on the GPU when Spark assigned the task
 * one and the backend loads, else on the CPU. See {@link DeviceChoice#decide}.
 */
public enum Device {
  AUTO, CPU, GPU;

  public static Device parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown device '" + s + "'; expected auto, cpu or gpu");
    }
  }

  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
