package io.sparkmlp.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {
  private static final Supplier<String> LOADS = () -> null;
  private static final Supplier<String> NOT_PROBED = () -> {
    throw new AssertionError("the backend must not be probed");
  };

  @Test
  void cpuNeverProbesTheBackend() {
    DeviceChoice c = DeviceChoice.decide(Device.CPU, List.of("0"), NOT_PROBED);
    assertFalse(c.gpu());
    assertNull(c.address());
  }

  @Test
  void autoWithoutAGpuResourceFallsBackToTheCpuWithoutProbing() {
    DeviceChoice c = DeviceChoice.decide(Device.AUTO, List.of(), NOT_PROBED);
    assertFalse(c.gpu());
    assertTrue(c.reason().contains("fell back to the CPU: no GPU resource assigned"), c.reason());
  }

  @Test
  void gpuWithoutAGpuResourceFailsNamingWhy() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> DeviceChoice.decide(Device.GPU, List.of(), NOT_PROBED));
    assertTrue(e.getMessage().startsWith("--device gpu, but no GPU resource assigned"), e.getMessage());
    assertTrue(e.getMessage().contains("--gpu"), e.getMessage());
  }

  @Test
  void anAssignedGpuIsUsedWhenTheBackendLoads() {
    for (Device d : new Device[] {Device.AUTO, Device.GPU}) {
      DeviceChoice c = DeviceChoice.decide(d, List.of("3", "4"), LOADS);
      assertTrue(c.gpu());
      assertEquals("3", c.address());
      assertTrue(c.reason().contains("Spark assigned GPU 3"), c.reason());
    }
  }

  @Test
  void anUnloadableBackendFallsBackForAutoAndFailsForGpu() {
    Supplier<String> missing = () -> "JCuda is not on the class path";
    DeviceChoice c = DeviceChoice.decide(Device.AUTO, List.of("0"), missing);
    assertFalse(c.gpu());
    assertEquals("--device auto fell back to the CPU: JCuda is not on the class path", c.reason());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> DeviceChoice.decide(Device.GPU, List.of("0"), missing));
    assertEquals("--device gpu, but JCuda is not on the class path", e.getMessage());
  }

  @Test
  void outsideATaskNoGpuIsAssigned() {
    assertFalse(DeviceSelector.forCurrentTask(Device.AUTO).gpu());
    assertThrows(IllegalStateException.class, () -> DeviceSelector.forCurrentTask(Device.GPU));
    assertEquals(List.of(), DeviceSelector.assignedGpus(null));
  }

  @Test
  void missingJcudaClassesAreNamed() {
    String why = GpuBackend.probe("jcuda.NoSuchClass");
    assertTrue(why.startsWith("JCuda is not on the class path"), why);
    assertTrue(why.contains("--packages"), why);
  }

  @Test
  void withoutACudaDriverTheProbeSaysSo() {
    assumeFalse(Files.exists(Path.of("/dev/nvidiactl")),
        "this machine has an NVIDIA device node; the no-driver path cannot be observed here");
    String why = GpuBackend.problem();
    assertNotNull(why);
    assertTrue(why.startsWith("the CUDA libraries did not load"), why);
  }

  @Test
  void parsesTheOption() {
    assertEquals(Device.GPU, Device.parse(" GPU "));
    assertEquals("auto", Device.AUTO.optionName());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
    assertEquals("unknown device 'tpu'; expected auto, cpu or gpu", e.getMessage());
  }
}
