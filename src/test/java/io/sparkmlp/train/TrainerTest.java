package io.sparkmlp.train;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.testing.Golden;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TrainerTest {
  private static final String DIGITS = "data-samples/digits.csv";
  @TempDir Path dir;

  static Stream<String> optimizerCases() {
    return Stream.of("sgd_nesterov", "sgd_wd", "sgd_dampening", "adam", "adamw", "adam_mse",
        "adam_minibatch", "sgd_cosine_warmup");
  }

  /**
   * The distributed trainer, from PyTorch's initial weights on the golden data, ends at
   * PyTorch's weights to 1e-9 relative: with one partition and with three (whose partial sums
   * are added in partition order).
   */
  @ParameterizedTest
  @MethodSource("optimizerCases")
  void sparkTrainingMatchesPytorchOptimizerRuns(String name) throws IOException {
    Golden g = Golden.load("opt_" + name);
    boolean regression = g.mlp.loss() == Loss.MSE;
    Path csv = g.writeCsv(dir);
    TrainConfig config = g.optimizerRun();
    SparkSession spark = SparkTestSession.get();
    for (int partitions : new int[] {1, 3}) {
      Split split = g.split(spark, csv, partitions);
      Dataset train = split.train();
      if (!regression) {
        assertArrayEquals(new double[] {0, 1, 2}, train.classLabels(), "labels map to themselves");
      }
      TrainResult r = new Trainer(spark, config).fit(train, null, g.initialParams,
          TrainingListener.NONE);
      assertEquals(g.mlp, r.mlp);
      assertClose(g.flat("final."), r.params, 1e-9, name + " with " + partitions + " partitions");
      split.unpersist();
    }
  }

  /** Same data, seed and partitions: bit-identical weights on local[1] and local[4]. */
  @Test
  void bitIdenticalWhateverTheMaster() {
    for (Dtype dtype : Dtype.values()) {
      double[] one = SparkTestSession.withMaster("local[1]", s -> trainDigits(s, dtype, 2));
      double[] four = SparkTestSession.withMaster("local[4]", s -> trainDigits(s, dtype, 2));
      assertArrayEquals(one, four, dtype + ": local[1] and local[4] must agree to the bit");
      if (dtype == Dtype.FLOAT32) {
        for (double v : one) {
          assertEquals(v, (float) v, "float32 weights are exactly floats");
        }
      }
    }
    double[] again = trainDigits(SparkTestSession.get(), Dtype.FLOAT64, 2);
    double[] otherPartitions = trainDigits(SparkTestSession.get(), Dtype.FLOAT64, 3);
    assertFalse(java.util.Arrays.equals(again, otherPartitions),
        "a different partition count changes the summation order, hence the last bits");
    assertClose(again, otherPartitions, 1e-6, "but not the result beyond rounding");
  }

  private static double[] trainDigits(SparkSession spark, Dtype dtype, int partitions) {
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS),
        LoadOptions.defaults().withDtype(dtype).withPartitions(partitions).withStandardize(true)
            .withSeed(5));
    TrainConfig config = new TrainConfig().hidden(32, 16).dtype(dtype).batchSize(100).epochs(2)
        .seed(5).lr(0.01);
    double[] params = new Trainer(spark, config).fit(split.train(), null, null,
        TrainingListener.NONE).params;
    split.unpersist();
    return params;
  }

  @Test
  void learnsDigitsAndReportsValidationEveryEpoch() {
    SparkSession spark = SparkTestSession.get();
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults()
        .withPartitions(2).withStandardize(true).withValidationFraction(0.25).withSeed(1));
    List<EpochMetrics> seen = new ArrayList<>();
    List<String> steps = new ArrayList<>();
    TrainResult r = new Trainer(spark, new TrainConfig().hidden(64).batchSize(64).epochs(6)
        .lr(0.003).seed(1)).fit(split.train(), split.validation(), null, new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, long globalStep, double loss, double lr,
              long rows) {
            steps.add(epoch + "/" + step + ":" + rows);
          }

          @Override
          public void onEpoch(EpochMetrics m) {
            seen.add(m);
          }
        });
    int trainRows = (int) split.train().numRows();
    assertEquals(1348, trainRows);
    assertEquals(6 * 22, steps.size(), "ceil(1348 / 64) = 22 steps per epoch");
    assertEquals("1/22:4", steps.get(21), "the last batch is short: 1348 - 21 * 64 = 4 rows");
    assertEquals(6, seen.size());
    assertTrue(seen.get(5).trainLoss < seen.get(0).trainLoss / 3, "training loss falls");
    assertTrue(seen.get(5).valMetric > 0.93, "validation accuracy " + seen.get(5).valMetric);
    assertEquals(6, r.history.size());
    split.unpersist();
  }

  @Test
  void earlyStoppingRestoresTheBestEpoch() {
    SparkSession spark = SparkTestSession.get();
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults()
        .withPartitions(2).withValidationFraction(0.3).withSeed(3));
    // unscaled pixels (0–16) and a large rate: the validation loss soon stops improving
    TrainConfig config = new TrainConfig().hidden(256).batchSize(32).epochs(40).lr(0.01)
        .earlyStoppingPatience(2).seed(3);
    TrainResult r = new Trainer(spark, config).fit(split.train(), split.validation(), null,
        TrainingListener.NONE);
    assertTrue(r.stoppedEarly, "should stop before 40 epochs");
    assertEquals(r.bestEpoch + 2, r.history.size(), "stops after patience epochs");
    double best = r.history.get(r.bestEpoch - 1).valLoss;
    for (EpochMetrics m : r.history) {
      assertTrue(m.valLoss >= best);
    }
    // the returned weights are the best epoch's: scoring them gives its validation loss
    ValidationStats v = Trainer.validate(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()),
        r.mlp, Dtype.FLOAT32, r.params, split.validation());
    assertEquals(best, v.meanLoss(r.mlp.loss(), r.mlp.numOutputs()), 1e-12);
    split.unpersist();
  }

  @Test
  void divergenceStopsBeforeTheBadUpdate() {
    SparkSession spark = SparkTestSession.get();
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults().withPartitions(2));
    TrainConfig config = new TrainConfig().optimizer(TrainConfig.OptimizerKind.SGD).lr(1e6)
        .hidden(64).batchSize(256).epochs(3);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> new Trainer(spark, config).fit(split.train(), null, null, TrainingListener.NONE));
    assertTrue(e.getMessage().startsWith("training diverged at epoch 1 step"), e.getMessage());
    for (double v : e.lastGoodParams()) {
      assertTrue(Double.isFinite(v), "last good weights are finite");
    }
    split.unpersist();
  }
}
