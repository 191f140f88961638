package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.testing.SparkTestSession;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Losing an inner node of the reduction tree: three single-core executor JVMs
 * ({@code local-cluster[3,1,1024]}) with fan-in 2 make a two-level tree — executor 0's node
 * relays executor 2's sum to the driver. Killing executor 0 with SIGKILL mid-training loses its
 * partition, its block and its child's path to the driver; the driver relaunches the stage on
 * the replacement executor and recomputes the step. The model is bit-identical to an
 * undisturbed run.
 */
class TreeNodeLossTest {
  private static final String DIGITS = Paths.get("data-samples/digits.csv").toAbsolutePath()
      .toString();
  private static final long KILL_AT_STEP = 12;

  private static double[] train(SparkSession spark, TrainingListener listener) {
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults()
        .withPartitions(3).withStandardize(true).withSeed(13));
    try {
      TrainResult r = new Trainer(spark, new TrainConfig().hidden(16).batchSize(90).epochs(2)
          .lr(0.003).seed(13).stepEngine(TrainConfig.StepEngineKind.STAGE))
          .fit(split.train(), null, null, listener);
      return r.params;
    } finally {
      split.unpersist();
    }
  }

  @Test
  void killingAnInnerNodeGivesTheUndisturbedModel() throws IOException {
    Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
    System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    System.setProperty("spark.mlp.fanIn", "2");
    try {
      SparkTestSession.withMaster("local-cluster[3,1,1024]", spark -> {
        double[] clean = train(spark, TrainingListener.NONE);
        String appId = spark.sparkContext().applicationId();
        long[] killed = {-1};
        double[] survived = train(spark, new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, long globalStep, double loss, double lr,
              long rows) {
            if (globalStep == KILL_AT_STEP) {
              List<ProcessHandle> inner = executors(appId, "0");
              assertEquals(1, inner.size(), "executor 0, the inner node");
              inner.get(0).destroyForcibly();
              killed[0] = inner.get(0).pid();
            }
          }
        });
        assertTrue(killed[0] > 0 && ProcessHandle.of(killed[0]).isEmpty(), "executor 0 was killed");
        assertArrayEquals(clean, survived, "bit-identical after losing an inner tree node");
        return null;
      });
    } finally {
      System.clearProperty("spark.executor.extraClassPath");
      System.clearProperty("spark.mlp.fanIn");
    }
  }

  /** The executor JVMs of {@code appId} with id {@code executorId}, from /proc/PID/cmdline. */
  private static List<ProcessHandle> executors(String appId, String executorId) {
    String idArg = "\0--executor-id\0" + executorId + "\0";
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"),
            StandardCharsets.ISO_8859_1);
        return cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId)
            && cmd.contains(idArg);
      } catch (IOException e) {
        return false;
      }
    }).collect(Collectors.toList());
  }
}
