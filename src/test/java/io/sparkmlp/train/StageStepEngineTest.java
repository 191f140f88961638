package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The long-lived-stage engine against the job engine: same bits, engine choice, task retries
 * (injected with {@link StageFault}) and a task that never arrives.
 */
class StageStepEngineTest {
  private static final String DIGITS = "data-samples/digits.csv";

  /** Digits (1797 rows, or 1348 with a 25 % validation split) in {@code partitions}. */
  static Split digits(SparkSession spark, Dtype dtype, int partitions, boolean validation) {
    return DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults().withDtype(dtype)
        .withPartitions(partitions).withStandardize(true).withSeed(5)
        .withValidationFraction(validation ? 0.25 : 0.0));
  }

  static TrainConfig config(Dtype dtype, TrainConfig.StepEngineKind engine) {
    return new TrainConfig().hidden(32, 16).dtype(dtype).batchSize(64).epochs(3).seed(5)
        .lr(0.01).stepEngine(engine);
  }

  /** Trains and returns the result, checking that {@code engine} did run. */
  static TrainResult train(SparkSession spark, Split data, TrainConfig config, String engine) {
    List<Long> rows = new ArrayList<>();
    TrainResult r = new Trainer(spark, config).fit(data.train(), data.validation(), null,
        new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, long globalStep, double loss, double lr,
              long stepRows) {
            rows.add(stepRows);
          }
        });
    assertEquals(engine, r.engine);
    long perEpoch = rows.stream().mapToLong(Long::longValue).sum() / config.epochs();
    assertEquals(data.train().numRows(), perEpoch, "every row exactly once per epoch");
    return r;
  }

  @Test
  void bitIdenticalToTheJobEngineInBothDtypes() {
    SparkSession spark = SparkTestSession.get();
    for (Dtype dtype : Dtype.values()) {
      // float64 with validation: the stage then ends after every epoch and restarts
      boolean validation = dtype == Dtype.FLOAT64;
      Split data = digits(spark, dtype, 2, validation);
      TrainResult job = train(spark, data, config(dtype, TrainConfig.StepEngineKind.JOB), "job");
      TrainResult stage = train(spark, data, config(dtype, TrainConfig.StepEngineKind.STAGE),
          "stage");
      assertArrayEquals(job.params, stage.params, dtype + ": stage and job weights must agree");
      for (int e = 0; e < job.history.size(); e++) {
        assertEquals(job.history.get(e).trainLoss, stage.history.get(e).trainLoss);
        assertEquals(job.history.get(e).valLoss, stage.history.get(e).valLoss);
      }
      assertTrue(stage.history.get(2).trainLoss < stage.history.get(0).trainLoss,
          "it learns: " + stage.history);
      data.unpersist();
    }
  }

  /**
   * With more partitions than task slots (3 on {@code local[2]}) the stage engine gives a task
   * several partitions, with the job engine's bits; it is refused only where a long-lived stage
   * cannot work (here: speculation on).
   */
  @Test
  void theStageRunsMorePartitionsThanSlotsAndIsRefusedOnlyWithSpeculation() {
    SparkSession spark = SparkTestSession.get();
    Split data = digits(spark, Dtype.FLOAT32, 3, false);
    TrainResult job = train(spark, data, config(Dtype.FLOAT32, TrainConfig.StepEngineKind.JOB), "job");
    TrainResult auto = train(spark, data, config(Dtype.FLOAT32, TrainConfig.StepEngineKind.AUTO),
        "stage");
    assertArrayEquals(job.params, auto.params, "3 partitions in 2 stage tasks");
    data.unpersist();
    System.setProperty("spark.speculation", "true");
    try {
      SparkTestSession.withMaster("local[2]", s -> {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.sparkContext());
        Split d = digits(s, Dtype.FLOAT32, 2, false);
        TrainConfig autoConfig = config(Dtype.FLOAT32, TrainConfig.StepEngineKind.AUTO);
        MLP mlp = new Trainer(s, autoConfig).network(d.train());
        try (StepEngine e = StepEngines.open(jsc, d.train(), mlp, autoConfig, "t", 64, false)) {
          assertEquals("job", e.name());
        }
        TrainConfig stage = config(Dtype.FLOAT32, TrainConfig.StepEngineKind.STAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> StepEngines.open(jsc, d.train(), mlp, stage, "t", 64, false));
        assertEquals("--step-engine stage runs all its tasks at once for the whole run, but "
            + "spark.speculation is on (it would copy the long-lived tasks); use --step-engine "
            + "job or auto", e.getMessage());
        return null;
      });
    } finally {
      System.clearProperty("spark.speculation");
    }
  }

  /**
   * A task attempt that fails before computing a step, or after delivering one, is retried by
   * Spark ({@code local[2,4]}: 4 attempts) and rejoins; the model is bit-identical to the run
   * without failures, so no step was lost or counted twice.
   */
  @Test
  void aRetriedTaskRejoinsAtTheCurrentStep() {
    SparkTestSession.withMaster("local[2,4]", spark -> {
      AtomicInteger failedTasks = new AtomicInteger();
      spark.sparkContext().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (end.taskInfo().failed()) {
            failedTasks.incrementAndGet();
          }
        }
      });
      Split data = digits(spark, Dtype.FLOAT64, 2, true);
      TrainConfig config = config(Dtype.FLOAT64, TrainConfig.StepEngineKind.STAGE);
      double[] clean = train(spark, data, config, "stage").params;
      // 22 steps per epoch: step 7 is mid-epoch 1, step 40 mid-epoch 2 (a later stage launch)
      for (String fault : new String[] {"1:7", "0:40:after"}) {
        System.setProperty(StageFault.PROPERTY, fault);
        try {
          int before = failedTasks.get();
          double[] retried = train(spark, data, config, "stage").params;
          waitForListeners(spark);
          assertEquals(before + 1, failedTasks.get(), "one injected task failure for " + fault);
          assertArrayEquals(clean, retried, "fault " + fault);
        } finally {
          System.clearProperty(StageFault.PROPERTY);
        }
      }
      data.unpersist();
      return null;
    });
  }

  /**
   * Three tasks on two task slots (the engine's choice of task count bypassed): the third task
   * never starts, the step fails after the timeout naming the missing partition, and closing
   * the engine frees the slots for the next job.
   */
  @Test
  void aTaskThatNeverComesEndsTheRunWithAClearError() {
    SparkSession spark = SparkTestSession.get();
    Split data = digits(spark, Dtype.FLOAT32, 3, false);
    TrainConfig config = config(Dtype.FLOAT32, TrainConfig.StepEngineKind.STAGE);
    MLP mlp = new Trainer(spark, config).network(data.train());
    double[] params = mlp.initParameters(config.weightInit(), config.biasInit(), 5);
    IllegalStateException e;
    try (StageStepEngine engine = new StageStepEngine(data.train(), mlp, config,
        UUID.randomUUID().toString(), 64, false, 2000, StageStepEngine.DEFAULT_FAN_IN, 3)) {
      e = assertThrows(IllegalStateException.class,
          () -> engine.step(params, 0, 0));
    }
    assertTrue(e.getMessage().matches("no gradient from partitions \\[\\d\\] for epoch 1 step 1 "
        + "\\(global step 1\\) within 2000 ms \\(spark.mlp.stageTimeout\\): the stage engine "
        + "needs all 3 tasks running at once; .*"), e.getMessage());
    assertEquals(3L, data.train().blocks().count(), "the slots are free again");
    data.unpersist();
  }

  private static void waitForListeners(SparkSession spark) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain", e);
    }
  }
}
