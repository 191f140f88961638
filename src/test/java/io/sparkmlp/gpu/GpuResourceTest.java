package io.sparkmlp.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real GPU scheduling without a GPU: a {@code local-cluster} worker discovers GPU "0" through
 * conf/gpu-discovery.sh with a fake nvidia-smi, conf/spark-gpu.conf's amounts assign it to the
 * task, and the task in its executor JVM sees the address; with no CUDA driver there,
 * {@code auto} falls back to the CPU naming why and {@code gpu} fails naming why.
 */
class GpuResourceTest {
  @TempDir
  Path dir;

  @Test
  void anAssignedGpuWithoutCudaFallsBackOrFails() throws IOException {
    assumeFalse(Files.exists(Path.of("/dev/nvidiactl")),
        "this machine has an NVIDIA device node; the no-driver path cannot be observed here");
    Map<String, String> conf = Map.of(
        "spark.worker.resource.gpu.amount", "1",
        "spark.worker.resource.gpu.discoveryScript", fakeDiscovery().toString(),
        "spark.executor.resource.gpu.amount", "1",
        "spark.task.resource.gpu.amount", "1",
        "spark.executor.extraClassPath", System.getProperty("surefire.test.class.path"));
    conf.forEach(System::setProperty);
    try {
      SparkTestSession.withMaster("local-cluster[1,1,1024]", spark -> {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> seen = jsc.parallelize(List.of(1), 1)
            .map(i -> DeviceSelector.assignedGpus(TaskContext.get()) + " "
                + DeviceSelector.forCurrentTask(Device.AUTO).reason())
            .collect();
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).startsWith("[0] --device auto fell back to the CPU: the CUDA "
            + "libraries did not load"), seen.get(0));
        Exception e = assertThrows(Exception.class, () -> jsc.parallelize(List.of(1), 1)
            .map(i -> DeviceSelector.forCurrentTask(Device.GPU).gpu()).collect());
        assertTrue(e.getMessage().contains("--device gpu, but the CUDA libraries did not load"),
            e.getMessage());
        return null;
      });
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
  }

  /** conf/gpu-discovery.sh run with a fake nvidia-smi listing GPU 0 first on its PATH. */
  private Path fakeDiscovery() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/bash\necho 0\n");
    Path script = dir.resolve("discover.sh");
    Files.writeString(script, "#!/bin/bash\nPATH=" + bin + ":$PATH exec /bin/bash "
        + Path.of("conf", "gpu-discovery.sh").toAbsolutePath() + "\n");
    for (Path p : new Path[] {smi, script}) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return script;
  }
}
