package io.sparkmlp.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/gpu-discovery.sh against a fake nvidia-smi: the only thing on its PATH. */
class GpuDiscoveryScriptTest {
  private static final Path SCRIPT = Path.of("conf", "gpu-discovery.sh").toAbsolutePath();

  @TempDir
  Path bin;

  private record Result(int exit, String stdout, String stderr) {}

  private Result run() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString());
    pb.environment().put("PATH", bin.toString());
    Path out = bin.resolveSibling(bin.getFileName() + ".out");
    Path err = bin.resolveSibling(bin.getFileName() + ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int exit = p.waitFor();
    return new Result(exit, Files.readString(out), Files.readString(err));
  }

  private void fakeNvidiaSmi(String body) throws IOException {
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/bash\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void printsSparksResourceJson() throws Exception {
    fakeNvidiaSmi("[ \"$*\" = '--query-gpu=index --format=csv,noheader' ] || exit 9\nprintf '0\\n1\\n'");
    Result r = run();
    assertEquals(0, r.exit, r.stderr);
    assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}\n", r.stdout);
  }

  @Test
  void failsClearlyWithoutNvidiaSmi() throws Exception {
    Result r = run();
    assertNotEquals(0, r.exit);
    assertEquals("", r.stdout);
    assertTrue(r.stderr.contains("nvidia-smi not found"), r.stderr);
  }

  @Test
  void failsClearlyWhenNoGpuIsListed() throws Exception {
    fakeNvidiaSmi("exit 0");
    Result r = run();
    assertNotEquals(0, r.exit);
    assertEquals("", r.stdout);
    assertTrue(r.stderr.contains("lists no GPU"), r.stderr);
  }

  @Test
  void failsClearlyWhenNvidiaSmiFails() throws Exception {
    fakeNvidiaSmi("echo 'NVIDIA-SMI has failed' >&2; exit 9");
    Result r = run();
    assertNotEquals(0, r.exit);
    assertTrue(r.stderr.contains("nvidia-smi failed"), r.stderr);
  }
}
