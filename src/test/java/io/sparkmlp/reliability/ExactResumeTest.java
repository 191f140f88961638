package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.train.CheckpointEvery;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import io.sparkmlp.testing.SparkTestSession;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted after step k and resumed from its checkpoint ends with exactly the weights,
 * history and early-stopping outcome of the uninterrupted run; changed settings are refused by
 * name; a corrupt newest checkpoint falls back to the previous good one.
 */
class ExactResumeTest {
  private static Split digits;
  private static Split raw;
  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    SparkSession spark = SparkTestSession.get();
    digits = DataLoader.load(spark, DataSpec.of("data-samples/digits.csv"), LoadOptions.defaults()
        .withPartitions(2).withStandardize(true).withValidationFraction(0.2).withSeed(7));
    raw = DataLoader.load(spark, DataSpec.of("data-samples/digits.csv"), LoadOptions.defaults()
        .withPartitions(2).withValidationFraction(0.3).withSeed(3));
  }

  @AfterAll
  static void release() {
    digits.unpersist();
    raw.unpersist();
  }

  private static TrainConfig adam() {
    return new TrainConfig().hidden(24).batchSize(64).epochs(4).lr(0.003).seed(7);
  }

  /** SGD with Nesterov momentum on unscaled pixels: stops early, so best weights matter. */
  private static TrainConfig sgdEarlyStopping() {
    return new TrainConfig().optimizer(TrainConfig.OptimizerKind.SGD).momentum(0.9)
        .nesterov(true).lr(0.01).hidden(64).batchSize(128).epochs(30).seed(3)
        .earlyStoppingPatience(2);
  }

  private Checkpointer checkpointer(Path dir, String every, boolean resume) {
    return new Checkpointer(new org.apache.hadoop.fs.Path(dir.toUri()), new Configuration(),
        CheckpointEvery.parse(every), 3, resume, Map.of());
  }

  private static TrainResult fit(TrainConfig config, Split data, Checkpointer c,
      TrainingListener listener) {
    return new Trainer(SparkTestSession.get(), config).withCheckpoints(c)
        .fit(data.train(), data.validation(), null, listener);
  }

  /** Throws after global step {@code k}, once that step's checkpoint (if due) is written. */
  private static TrainingListener crashAfter(long k) {
    return new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {
        if (globalStep == k) {
          throw new IllegalStateException("simulated crash after step " + k);
        }
      }
    };
  }

  /** Records the global steps it sees. */
  private static final class Steps implements TrainingListener {
    final List<Long> seen = new ArrayList<>();

    @Override
    public void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {
      seen.add(globalStep);
    }
  }

  /** The same run: weights bit-identical, best epoch, early stop, and every epoch's figures. */
  static void assertSameRun(TrainResult expected, TrainResult actual) {
    assertArrayEquals(expected.params, actual.params, "weights must be bit-identical");
    assertEquals(expected.bestEpoch, actual.bestEpoch);
    assertEquals(expected.stoppedEarly, actual.stoppedEarly);
    assertEquals(expected.history.size(), actual.history.size());
    for (int i = 0; i < expected.history.size(); i++) {
      EpochMetrics e = expected.history.get(i);
      EpochMetrics a = actual.history.get(i);
      assertEquals(e.trainLoss, a.trainLoss, 0.0, "train loss of epoch " + e.epoch);
      assertEquals(e.valLoss, a.valLoss, 0.0, "validation loss of epoch " + e.epoch);
      assertEquals(e.lr, a.lr, 0.0, "lr of epoch " + e.epoch);
    }
  }

  @Test
  void adamResumedMidEpochIsBitIdentical() {
    TrainResult whole = fit(adam(), digits, null, TrainingListener.NONE);
    // 1438 rows / 64 = 23 steps per epoch; checkpoints at 10, 20, 30; crash after 37
    Path dir = tmp.resolve("adam");
    IllegalStateException crash = assertThrows(IllegalStateException.class,
        () -> fit(adam(), digits, checkpointer(dir, "10", false), crashAfter(37)));
    assertEquals("simulated crash after step 37", crash.getMessage());
    Steps steps = new Steps();
    TrainResult resumed = fit(adam(), digits, checkpointer(dir, "10", true), steps);
    assertEquals(31L, steps.seen.get(0), "continues after the checkpoint of step 30");
    assertEquals(4 * 23, steps.seen.get(steps.seen.size() - 1));
    assertSameRun(whole, resumed);
    assertTrue(Files.exists(dir.resolve("ckpt-000000092.safetensors")),
        "the last epoch always leaves a checkpoint");
  }

  @Test
  void sgdMomentumWithEarlyStoppingResumedIsBitIdentical() {
    TrainResult whole = fit(sgdEarlyStopping(), raw, null, TrainingListener.NONE);
    assertTrue(whole.stoppedEarly && whole.bestEpoch >= 2,
        "the case must stop early after a best epoch >= 2, got best " + whole.bestEpoch
            + " of " + whole.history.size());
    // crash one step into the first epoch after the best one: the checkpoint of that
    // best epoch carries the best weights and loss that early stopping must restore
    int stepsPerEpoch = (int) whole.history.get(0).steps;
    long crashStep = (long) whole.bestEpoch * stepsPerEpoch + 1;
    Path dir = tmp.resolve("sgd");
    assertThrows(IllegalStateException.class,
        () -> fit(sgdEarlyStopping(), raw, checkpointer(dir, "1e", false), crashAfter(crashStep)));
    TrainResult resumed = fit(sgdEarlyStopping(), raw, checkpointer(dir, "1e", true),
        TrainingListener.NONE);
    assertSameRun(whole, resumed);
  }

  @Test
  void moreEpochsContinueAFinishedRun() {
    TrainResult four = fit(adam(), digits, null, TrainingListener.NONE);
    Path dir = tmp.resolve("longer");
    fit(adam().epochs(2), digits, checkpointer(dir, "1e", false), TrainingListener.NONE);
    TrainResult continued = fit(adam(), digits, checkpointer(dir, "1e", true),
        TrainingListener.NONE);
    assertSameRun(four, continued);
  }

  @Test
  void changedSettingsAreRefusedByName() {
    Path dir = tmp.resolve("refuse");
    fit(adam().epochs(1), digits, checkpointer(dir, "10", false), TrainingListener.NONE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fit(adam().epochs(1).lr(0.002).batchSize(32), digits, checkpointer(dir, "10", true),
            TrainingListener.NONE));
    assertTrue(e.getMessage().contains("batch-size (checkpoint 64, now 32); lr (checkpoint 0.003, "
        + "now 0.002)"), e.getMessage());
    Split other = DataLoader.load(SparkTestSession.get(), DataSpec.of("data-samples/digits.csv"),
        LoadOptions.defaults().withPartitions(3).withStandardize(true).withValidationFraction(0.2)
            .withSeed(7));
    try {
      e = assertThrows(IllegalArgumentException.class,
          () -> fit(adam().epochs(1), other, checkpointer(dir, "10", true), TrainingListener.NONE));
      assertTrue(e.getMessage().contains("partitions (checkpoint 2, now 3)"), e.getMessage());
    } finally {
      other.unpersist();
    }
    e = assertThrows(IllegalArgumentException.class,
        () -> fit(adam().epochs(1), digits, checkpointer(dir, "10", false), TrainingListener.NONE));
    assertTrue(e.getMessage().contains("already holds ckpt-000000023.safetensors; pass --resume"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(SparkTestSession.get(), adam().epochs(3)
            .schedule(io.sparkmlp.optim.LrSchedule.Kind.COSINE))
            .withCheckpoints(checkpointer(dir, "10", true))
            .fit(digits.train(), digits.validation(), null, TrainingListener.NONE));
    assertTrue(e.getMessage().contains("epochs (checkpoint 1, now 3)")
        && e.getMessage().contains("lr-schedule (checkpoint constant, now cosine)"), e.getMessage());
  }

  /**
   * Issue 18, case 7: a changed network shape is a difference like any other setting, not a
   * reason to call the good checkpoints unreadable.
   */
  @Test
  void aChangedNetworkIsNamedNotCalledUnreadable() {
    Path dir = tmp.resolve("hidden");
    fit(adam().epochs(1), digits, checkpointer(dir, "10", false), TrainingListener.NONE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fit(adam().epochs(1).hidden(32), digits, checkpointer(dir, "10", true),
            TrainingListener.NONE));
    assertTrue(e.getMessage().contains("the run differs in hidden (checkpoint 24, now 32)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> fit(adam().epochs(1).optimizer(TrainConfig.OptimizerKind.SGD).momentum(0.9),
            digits, checkpointer(dir, "10", true), TrainingListener.NONE));
    assertTrue(e.getMessage().contains("optimizer (checkpoint adam, now sgd)"), e.getMessage());
  }

  @Test
  void corruptNewestCheckpointFallsBackToThePreviousGoodOne() throws Exception {
    TrainResult whole = fit(adam(), digits, null, TrainingListener.NONE);
    Path dir = tmp.resolve("corrupt");
    assertThrows(IllegalStateException.class,
        () -> fit(adam(), digits, checkpointer(dir, "10", false), crashAfter(45)));
    // keep 3: steps 20, 30, 40 remain; truncate 40 and flip one data byte of 30
    Path newest = dir.resolve("ckpt-000000040.safetensors");
    Path middle = dir.resolve("ckpt-000000030.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    try (RandomAccessFile f = new RandomAccessFile(middle.toFile(), "rw")) {
      long at = f.length() - 100;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x10);
    }
    assertEquals(List.of("ckpt-000000040.safetensors", "ckpt-000000030.safetensors",
        "ckpt-000000020.safetensors"), names(dir));
    Steps steps = new Steps();
    TrainResult resumed = fit(adam(), digits, checkpointer(dir, "10", true), steps);
    assertEquals(21L, steps.seen.get(0), "both newer files are skipped: resumes after step 20");
    assertSameRun(whole, resumed);
  }

  private static List<String> names(Path dir) throws java.io.IOException {
    List<String> n = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(x -> x.startsWith("ckpt-")).sorted()
          .forEach(x -> n.add(0, x));
    }
    return n;
  }
}
