package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import io.sparkmlp.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Spark's {@code local-cluster[2,1,1024]} master: a standalone master and two workers in this
 * JVM, each executor a separate JVM (class path from {@code spark.executor.extraClassPath},
 * {@code SPARK_HOME} an empty folder set by the pom). With the job step engine the model is
 * bit-identical to {@code local[2]}'s, also when one executor JVM is killed with SIGKILL
 * mid-training: Spark reruns the lost tasks and recomputes the lost cached blocks from the
 * source file, and every retried task computes the same partial gradient. Sparse (CSR) blocks
 * with the stage engine give local[2]'s model as well.
 */
class LocalClusterTest {
  private static final String DIGITS = Paths.get("data-samples/digits.csv").toAbsolutePath()
      .toString();
  private static final long KILL_AT_STEP = 30;

  private static TrainConfig config(TrainConfig.StepEngineKind engine) {
    return new TrainConfig().hidden(32).batchSize(64).epochs(2).lr(0.003).seed(11)
        .stepEngine(engine);
  }

  private static double[] train(SparkSession spark, TrainingListener listener) {
    return train(spark, listener, InputLayout.DENSE, TrainConfig.StepEngineKind.JOB);
  }

  private static double[] train(SparkSession spark, TrainingListener listener,
      InputLayout layout, TrainConfig.StepEngineKind engine) {
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults()
        .withPartitions(2).withStandardize(true).withValidationFraction(0.2).withSeed(11)
        .withLayout(layout));
    try {
      return new Trainer(spark, config(engine)).fit(split.train(), split.validation(), null,
          listener).params;
    } finally {
      split.unpersist();
    }
  }

  /** Kills one executor JVM (a child of this JVM) after step {@link #KILL_AT_STEP}. */
  private static final class ExecutorKiller implements TrainingListener {
    long killedPid = -1;

    @Override
    public void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {
      if (globalStep != KILL_AT_STEP) {
        return;
      }
      List<ProcessHandle> executors = ProcessHandle.current().descendants()
          .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
          .collect(Collectors.toList());
      assertEquals(2, executors.size(), "two executor JVMs before the kill");
      ProcessHandle victim = executors.get(0);
      victim.destroyForcibly();
      try {
        victim.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("executor " + victim.pid() + " did not die", e);
      }
      killedPid = victim.pid();
    }

    /** The full command line from /proc (ProcessHandle.Info truncates long ones). */
    private static String commandLine(ProcessHandle p) {
      try {
        return new String(Files.readAllBytes(Paths.get("/proc", Long.toString(p.pid()), "cmdline")),
            java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return "";
      }
    }
  }

  @Test
  void multiProcessClusterGivesTheLocalModelEvenAfterAnExecutorIsKilled() throws Exception {
    double[] local = train(SparkTestSession.get(), TrainingListener.NONE);
    double[] localSparse = train(SparkTestSession.get(), TrainingListener.NONE,
        InputLayout.SPARSE, TrainConfig.StepEngineKind.STAGE);
    Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
    System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    try {
      SparkTestSession.withMaster("local-cluster[2,1,1024]", spark -> {
        double[] cluster = train(spark, TrainingListener.NONE);
        assertArrayEquals(local, cluster, "2 executor JVMs must give local[2]'s model");
        double[] clusterSparse = train(spark, TrainingListener.NONE, InputLayout.SPARSE,
            TrainConfig.StepEngineKind.STAGE);
        assertArrayEquals(localSparse, clusterSparse,
            "sparse (centred CSR) blocks through the stage engine: local[2]'s model too");
        AtomicInteger removed = new AtomicInteger();
        spark.sparkContext().addSparkListener(new SparkListener() {
          @Override
          public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            removed.incrementAndGet();
          }
        });
        ExecutorKiller killer = new ExecutorKiller();
        double[] survived = train(spark, killer);
        assertTrue(killer.killedPid > 0, "an executor was killed");
        assertTrue(removed.get() >= 1, "Spark saw the executor go");
        assertArrayEquals(local, survived, "the model survives the loss bit for bit");
        return null;
      });
    } finally {
      System.clearProperty("spark.executor.extraClassPath");
    }
  }
}
