package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What netlib really binds, each case in a fresh JVM ({@link BlasChoiceMain}; netlib binds once
 * per JVM): the bundled, Java and Vector API choices, a system library found through
 * LD_LIBRARY_PATH that cannot load and one that can, a library named by path that is no BLAS.
 * In every case the JVM's console has no raw netlib line ({@code JNI_OnLoad}, {@code dlopen})
 * and the products are right.
 */
class BlasChoiceJvmTest {
  @TempDir
  Path tmp;

  private record Run(int status, String out) {
    String line(String prefix) {
      return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
          .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + out));
    }
  }

  private Run run(String setting, Map<String, String> env, String... args) throws Exception {
    List<String> opts = new ArrayList<>(List.of("-Xmx256m", "-Duser.home=" + tmp.resolve("home")));
    if (setting != null) {
      opts.add("-Dspark.mlp.blas=" + setting);
    }
    ProcessBuilder pb = new ProcessBuilder(ForkedJvm.command(BlasChoiceMain.class, opts,
        List.of(args))).redirectErrorStream(true);
    pb.environment().remove(BlasSetting.ENV);
    pb.environment().remove("XDG_CACHE_HOME");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertFalse(out.contains("JNI_OnLoad") || out.contains("dlopen") || out.contains("netlib-blas"),
        "no raw netlib line:\n" + out);
    return new Run(p.exitValue(), out);
  }

  private static void assertRight(Run r) {
    assertEquals(0, r.status(), r.out());
    assertTrue(Double.parseDouble(r.line("dgemm error ").substring(12)) < 1e-12, r.out());
    assertTrue(Double.parseDouble(r.line("sgemm error ").substring(12)) < 1e-4, r.out());
  }

  /**
   * Whether this machine has a system BLAS that auto would take (then it wins over bundled): one
   * that passes the checks and loads, not merely a file of that name (a node whose file is masked,
   * or Debian's reference BLAS, has one that auto passes over).
   */
  private static boolean machineHasSystemBlas() {
    try {
      BlasSelector.ofThisJvm().system(true, new ArrayList<>());
      return true;
    } catch (NativeBlas.Unusable e) {
      return false;
    }
  }

  @Test
  void bundledJavaAndVectorBindWhatTheySay() throws Exception {
    Run bundled = run("bundled", Map.of("OPENBLAS_NUM_THREADS", "1"));
    assertRight(bundled);
    assertTrue(bundled.line("choice ").startsWith("choice BLAS: OpenBLAS 0.3.31 (bundled), "
        + "1 thread [spark.mlp.blas=bundled; " + tmp.resolve("home/.cache/spark-mlp/openblas-0.3.31-"
        + Platform.current().classifier())), bundled.out());
    assertEquals("netlib dev.ludovic.netlib.blas.JNIBLAS", bundled.line("netlib "));
    assertEquals("kernels dev.ludovic.netlib.blas.JNIBLAS", bundled.line("kernels "));

    Run java = run("java", Map.of());
    assertRight(java);
    assertEquals("kernels dev.ludovic.netlib.blas.Java11BLAS", java.line("kernels "));
    assertEquals("choice BLAS: Java11BLAS (plain Java), 1 thread [spark.mlp.blas=java]",
        java.line("choice "));

    Run vector = run("vector", Map.of());
    assertRight(vector);
    assertEquals("kernels dev.ludovic.netlib.blas.VectorBLAS", vector.line("kernels "));
  }

  @Test
  void aSystemBlasThatCannotLoadIsPassedOverSilently() throws Exception {
    Path sys = Files.createDirectories(tmp.resolve("sys"));
    Files.writeString(sys.resolve("libblas.so.3"), "not a library");
    Run r = run(null, Map.of("LD_LIBRARY_PATH", sys.toString()));
    assertRight(r);
    String choice = r.line("choice ");
    assertTrue(choice.contains(sys.resolve("libblas.so.3") + ": not an ELF file"), choice);
    assertTrue(choice.contains(machineHasSystemBlas() ? "(system /" : "(bundled)"), choice);
    assertFalse(choice.contains("(system " + sys), choice);
    assertEquals("netlib dev.ludovic.netlib.blas.JNIBLAS", r.line("netlib "));
  }

  @Test
  void aSystemBlasThatLoadsIsTaken() throws Exception {
    Path sys = TestLibraries.workingSystemDir(tmp.resolve("setup"), tmp.resolve("sys"));
    Run r = run(null, Map.of("LD_LIBRARY_PATH", sys.toString(), "OPENBLAS_NUM_THREADS", "1"));
    assertRight(r);
    assertEquals("choice BLAS: OpenBLAS 0.3.31 (system " + sys.resolve("libblas.so.3")
        + "), 1 thread [auto]", r.line("choice "));
    assertFalse(Files.exists(tmp.resolve("home/.cache")), "nothing extracted");
  }

  @Test
  void aNamedLibraryThatIsNoBlasIsRefusedBeforeNetlibCanCrashOnIt() throws Exception {
    Path zip = TestLibraries.notABlas();
    Run r = run(zip.toString(), Map.of());
    assertEquals(1, r.status(), "an exception, not a crashed JVM (134):\n" + r.out());
    assertTrue(r.out().contains("IllegalArgumentException: spark.mlp.blas=" + zip
        + " cannot be used: " + zip + ": does not define "), r.out());
  }

  /**
   * Something (MLlib, Breeze) asked netlib first: netlib bound the system library by itself;
   * the choice says so instead of claiming the forced one, and the kernels use what netlib has.
   */
  @Test
  void aBlasBoundBeforeTheChoiceIsReportedAsSuch() throws Exception {
    Path sys = TestLibraries.workingSystemDir(tmp.resolve("setup"), tmp.resolve("sys"));
    Run r = run("vector", Map.of("LD_LIBRARY_PATH", sys.toString()), "netlib-first");
    assertRight(r);
    assertEquals("netlib first dev.ludovic.netlib.blas.JNIBLAS", r.line("netlib first "));
    assertTrue(r.line("choice ").startsWith("choice BLAS: netlib JNIBLAS (system) [spark.mlp.blas="
        + "vector; but netlib had bound its BLAS before spark-mlp's selection ran"), r.out());
  }
}
