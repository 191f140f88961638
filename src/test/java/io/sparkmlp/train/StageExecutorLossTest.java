package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.Split;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The stage engine on real executor JVMs ({@code local-cluster[2,1,1024]}: two executors of one
 * core): killing one executor with SIGKILL mid-training loses its task and its cached block;
 * Spark starts a replacement executor, recomputes the block and retries the task, which rejoins
 * at the current step. The model is bit-identical to an uninterrupted run.
 *
 * <p>Needs SPARK_HOME with a (possibly empty) {@code jars/} folder (Surefire sets it) and the
 * test class path on the executors. The executors get the JVM flags of conf/jvm.properties as
 * submit.sh passes them, which the test checks inside an executor.
 */
class StageExecutorLossTest {
  private static final String MASTER = "local-cluster[2,1,1024]";

  @Test
  void killedExecutorRejoinsWithBitIdenticalResult() throws IOException {
    Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    Properties jvm = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("conf/jvm.properties"))) {
      jvm.load(in);
    }
    String executorFlags = jvm.getProperty("jvm.modules") + " " + jvm.getProperty("jvm.gc");
    System.setProperty("spark.executor.extraClassPath", System.getProperty("surefire.test.class.path"));
    System.setProperty("spark.executor.extraJavaOptions", executorFlags);
    try {
      SparkTestSession.withMaster(MASTER, spark -> {
        assertExecutorFlags(spark, jvm.getProperty("jvm.gc"));
        Split data = StageStepEngineTest.digits(spark, Dtype.FLOAT32, 2, false);
        TrainConfig config = StageStepEngineTest.config(Dtype.FLOAT32,
            TrainConfig.StepEngineKind.STAGE).batchSize(32);
        double[] clean = StageStepEngineTest.train(spark, data, config, "stage").params;
        String appId = spark.sparkContext().applicationId();
        long killed = executorPids(appId).get(0);
        double[] survived = new Trainer(spark, config).fit(data.train(), null, null,
            new TrainingListener() {
              @Override
              public void onStep(int epoch, int step, long globalStep, double loss, double lr,
                  long rows) {
                if (globalStep == 30) {
                  ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
                }
              }
            }).params;
        assertTrue(ProcessHandle.of(killed).isEmpty(), "executor " + killed + " was killed");
        assertArrayEquals(clean, survived, "bit-identical after losing an executor");
        data.unpersist();
        return null;
      });
    } finally {
      System.clearProperty("spark.executor.extraClassPath");
      System.clearProperty("spark.executor.extraJavaOptions");
    }
  }

  /** The JVM flags of conf/jvm.properties reach the executor JVMs (humongous-free 1 MB arrays). */
  private static void assertExecutorFlags(SparkSession spark, String gcFlags) {
    List<String> args = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(1, 2), 2)
        .map(i -> String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .collect();
    for (String a : args) {
      assertTrue(a.contains(gcFlags), "executor JVM flags: " + a);
    }
  }

  /**
   * Process ids of this application's executor JVMs, from /proc/PID/cmdline (Linux; the JDK's
   * ProcessHandle.Info leaves out command lines as long as an executor's class path).
   */
  private static List<Long> executorPids(String appId) {
    List<Long> pids = ProcessHandle.allProcesses()
        .filter(p -> {
          try {
            String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"),
                StandardCharsets.ISO_8859_1);
            return cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId);
          } catch (IOException e) {
            return false; // the process ended meanwhile
          }
        })
        .map(ProcessHandle::pid)
        .collect(Collectors.toList());
    assertEquals(2, pids.size(), "two executor JVMs of " + appId);
    return pids;
  }
}
