package io.sparkmlp.gpu;

import java.util.List;
import java.util.function.Supplier;

/**
 * The device a task computes on, with the reason, as a pure function of what was requested,
 * what Spark assigned and whether the CUDA backend loads, so the rules are testable without a
 * GPU or a running task.
 *
 * @param gpu whether the CUDA backend is used
 * @param address the GPU address Spark assigned (the CUDA device ordinal), null on the CPU
 * @param reason why this device, for the log
 */
public record DeviceChoice(boolean gpu, String address, String reason) {

  /**
   * Decides the device.
   *
   * @param requested the {@code --device} option
   * @param gpuAddresses the task's {@code gpu} resource addresses (empty when none assigned)
   * @param backendProblem why the CUDA backend cannot be used, or null when it can; only asked
   *     when a GPU was assigned and not {@code cpu}, so CPU runs never load JCuda
   * @throws IllegalStateException for {@code gpu} without a usable GPU, naming why
   */
  public static DeviceChoice decide(Device requested, List<String> gpuAddresses,
      Supplier<String> backendProblem) {
    if (requested == Device.CPU) {
      return new DeviceChoice(false, null, "--device cpu");
    }
    if (gpuAddresses.isEmpty()) {
      String why = "no GPU resource assigned to the task (submit with --gpu or set "
          + "spark.executor.resource.gpu.amount and spark.task.resource.gpu.amount)";
      return fallback(requested, why);
    }
    String address = gpuAddresses.get(0);
    String problem = backendProblem.get();
    if (problem != null) {
      return fallback(requested, problem);
    }
    return new DeviceChoice(true, address, "--device " + requested.optionName() + ", Spark assigned GPU "
        + address + " and the CUDA backend loaded");
  }

  private static DeviceChoice fallback(Device requested, String why) {
    if (requested == Device.GPU) {
      throw new IllegalStateException("--device gpu, but " + why);
    }
    return new DeviceChoice(false, null, "--device auto fell back to the CPU: " + why);
  }
}
