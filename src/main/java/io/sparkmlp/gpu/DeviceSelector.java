package io.sparkmlp.gpu;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the device of the running task: reads the {@code gpu} resource Spark assigned it
 * ({@code spark.task.resource.gpu.amount}) and applies {@link DeviceChoice#decide}. Each
 * distinct choice is logged once per executor JVM, so the log says which path a run took and
 * why without a line per task and step.
 */
public final class DeviceSelector {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private DeviceSelector() {}

  /** The device of the current Spark task (outside a task: none assigned). */
  public static DeviceChoice forCurrentTask(Device requested) {
    DeviceChoice choice = DeviceChoice.decide(requested, assignedGpus(TaskContext.get()),
        GpuBackend::problem);
    if (LOGGED.add(choice.reason())) {
      LOG.info("this executor computes on the {}: {}",
          choice.gpu() ? "GPU " + choice.address() : "CPU", choice.reason());
    }
    return choice;
  }

  /** The task's {@code gpu} addresses; empty outside a task or when none were assigned. */
  static List<String> assignedGpus(TaskContext task) {
    if (task == null) {
      return List.of();
    }
    Map<String, ResourceInformation> resources = task.resourcesJMap();
    ResourceInformation gpu = resources.get("gpu");
    return gpu == null ? List.of() : List.of(gpu.addresses());
  }
}
