package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.blas.Blas;
import io.sparkmlp.testing.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Executor JVMs ({@code local-cluster}) choose their BLAS at start-up from the Spark conf
 * {@code spark.mlp.blas}, which reaches them through {@link BlasPlugin} only: here
 * {@code bundled}, while the driver JVM of the test keeps the BLAS it chose before (with auto).
 * The executors' class path has spark-mlp but not bytedeco's OpenBLAS jar, which comes as a
 * user jar ({@code spark.jars}, as {@code --jars} gives it): the bundled library is found through
 * the executor's user class loader. Each executor logs its choice once, and no raw netlib line.
 */
class BlasPluginTest {
  /**
   * An executor whose forced BLAS cannot be used dies at start-up and the master keeps starting
   * new ones, so the job would wait forever: the time limit turns that into a failure.
   */
  @Test
  @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void executorsChooseFromTheSparkConfBeforeTheirFirstTask() throws IOException {
    Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
    String driverChoice = Blas.choice().summary();
    List<String> classPath = List.of(System.getProperty("java.class.path")
        .split(File.pathSeparator));
    List<String> openBlasJars = classPath.stream()
        .filter(e -> Paths.get(e).getFileName().toString().startsWith("openblas-")).toList();
    String classifier = System.getProperty("os.arch").equals("aarch64") ? "linux-arm64"
        : "linux-x86_64";
    String platformJar = openBlasJars.stream().filter(e -> e.endsWith("-" + classifier + ".jar"))
        .findFirst().orElseThrow(() -> new AssertionError("no OpenBLAS jar in " + classPath));
    Map<String, String> conf = Map.of(
        "spark.plugins", BlasPlugin.class.getName(),
        "spark.mlp.blas", "bundled",
        "spark.jars", platformJar,
        "spark.executor.extraClassPath", classPath.stream()
            .filter(e -> !openBlasJars.contains(e)).collect(Collectors.joining(File.pathSeparator)));
    conf.forEach(System::setProperty);
    try {
      SparkTestSession.withMaster("local-cluster[2,1,1024]", spark -> {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> seen = jsc.parallelize(List.of(1, 2, 3, 4), 4)
            .map(i -> ProcessHandle.current().pid() + " " + Blas.choice().logLine())
            .collect();
        for (String s : seen) {
          assertTrue(s.contains(" BLAS: OpenBLAS 0.3.31 (bundled), 1 thread "
              + "[spark.mlp.blas=bundled; "), s);
        }
        long self = ProcessHandle.current().pid();
        assertFalse(seen.stream().anyMatch(s -> s.startsWith(self + " ")), "ran in executors");
        assertEquals(driverChoice, Blas.choice().summary(), "the driver JVM keeps its choice");
        String app = spark.sparkContext().applicationId();
        try (Stream<Path> logs = Files.walk(Paths.get(System.getenv("SPARK_HOME"), "work", app))) {
          List<Path> stderr = logs.filter(p -> p.getFileName().toString().equals("stderr"))
              .collect(Collectors.toList());
          assertEquals(2, stderr.size(), stderr.toString());
          for (Path p : stderr) {
            String log = Files.readString(p, StandardCharsets.UTF_8);
            assertEquals(1, log.lines().filter(l -> l.contains("BLAS: OpenBLAS 0.3.31 (bundled)"))
                .count(), log);
            assertFalse(log.contains("JNI_OnLoad") || log.contains("netlib-blas"), log);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return null;
      });
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
  }
}
