package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.blas.Blas;
import io.sparkmlp.testing.SparkTestSession;
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

/**
 * Executor JVMs ({@code local-cluster}) choose their BLAS at start-up from the Spark conf
 * {@code spark.mlp.blas}, which reaches them through {@link BlasPlugin} only: here {@code java},
 * while the driver JVM of the test keeps the BLAS it chose before. Each executor logs its choice
 * once, and no raw netlib line.
 */
class BlasPluginTest {
  @Test
  void executorsChooseFromTheSparkConfBeforeTheirFirstTask() throws IOException {
    Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
    String driverChoice = Blas.choice().summary();
    Map<String, String> conf = Map.of(
        "spark.plugins", BlasPlugin.class.getName(),
        "spark.mlp.blas", "java",
        "spark.executor.extraClassPath", System.getProperty("java.class.path"));
    conf.forEach(System::setProperty);
    try {
      SparkTestSession.withMaster("local-cluster[2,1,1024]", spark -> {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> seen = jsc.parallelize(List.of(1, 2, 3, 4), 4)
            .map(i -> ProcessHandle.current().pid() + " " + Blas.choice().logLine())
            .collect();
        for (String s : seen) {
          assertTrue(s.endsWith(" BLAS: Java11BLAS (plain Java), 1 thread "
              + "[spark.mlp.blas=java]"), s);
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
            assertEquals(1, log.lines().filter(l -> l.contains("BLAS: Java11BLAS")).count(), log);
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
