package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.io.CheckpointFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.train.CheckpointEvery;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingDivergedException;
import io.sparkmlp.train.TrainingListener;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the run state carries across a resume beyond {@link ExactResumeTest}: a checkpoint of
 * format version 1 (written before the run state held the epoch's start weights and time)
 * still resumes bit-identically, also after the settings table gained a setting; an epoch that explodes after a resume inside it keeps the
 * weights it started from, as the uninterrupted run does; a resumed epoch reports its whole
 * wall time, not only the part after the resume; and plain SGD (whose state has no momentum
 * buffer) resumes at all.
 */
class RunStateResumeTest {
  /**
   * Written by commit 47357a1 (format version 1): {@link #sgdIris()} on {@link #iris}, a
   * checkpoint every 5 steps, crashed after global step 21 (epoch 3, step 5 of 8).
   */
  private static final Path VERSION_1 =
      Path.of("src/test/resources/checkpoints/v1/ckpt-000000020.safetensors");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Split iris;
  private static TrainResult whole;
  @TempDir Path tmp;

  /** SGD with momentum, early stopping on (so best weights are kept), 8 steps per epoch. */
  private static TrainConfig sgdIris() {
    return new TrainConfig().optimizer(TrainConfig.OptimizerKind.SGD).momentum(0.9).lr(0.05)
        .hidden(8).batchSize(16).epochs(6).earlyStoppingPatience(3).seed(5);
  }

  @BeforeAll
  static void load() {
    iris = DataLoader.load(SparkTestSession.get(), DataSpec.of("data-samples/iris.csv"),
        LoadOptions.defaults().withPartitions(2).withStandardize(true).withValidationFraction(0.2)
            .withSeed(5));
    whole = fit(sgdIris(), iris, null, TrainingListener.NONE);
  }

  @AfterAll
  static void release() {
    iris.unpersist();
  }

  private static TrainResult fit(TrainConfig config, Split data, Checkpointer c,
      TrainingListener listener) {
    return new Trainer(SparkTestSession.get(), config).withCheckpoints(c)
        .fit(data.train(), data.validation(), null, listener);
  }

  private static Checkpointer checkpointer(Path dir, long every, boolean resume) {
    return new Checkpointer(new org.apache.hadoop.fs.Path(dir.toUri()), new Configuration(),
        CheckpointEvery.steps(every), 3, resume, Map.of());
  }

  /** Throws after global step {@code crash}, sleeping {@code sleepMs} after step {@code slow}. */
  private static TrainingListener crashAfter(long crash, long slow, long sleepMs) {
    return new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {
        if (globalStep == slow) {
          try {
            Thread.sleep(sleepMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (globalStep == crash) {
          throw new IllegalStateException("simulated crash after step " + crash);
        }
      }
    };
  }

  /**
   * Copies the version-1 checkpoint into {@code dir}, its recorded data fingerprints replaced by
   * this checkout's: a fingerprint holds the data file's absolute path and modification time,
   * which differ in every clone. All else (format version 1 included) is the file as written.
   */
  private static void copyVersion1(Path dir) throws IOException {
    Configuration conf = new Configuration();
    Safetensors v1 = CheckpointFile.read(new org.apache.hadoop.fs.Path(VERSION_1.toUri()), conf);
    ObjectNode run = (ObjectNode) JSON.readTree(v1.metadata().get("run"));
    run.put("data-fingerprint", iris.train().fingerprint());
    run.put("validation-fingerprint", iris.validation().fingerprint());
    CheckpointFile.withMetadata(v1, Map.of("run", JSON.writeValueAsString(run))).write(
        new org.apache.hadoop.fs.Path(dir.resolve(VERSION_1.getFileName()).toUri()), conf);
  }

  @Test
  void aVersion1CheckpointStillResumesBitIdentically() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("v1"));
    copyVersion1(dir);
    assertEquals(1, CheckpointFile.formatVersion(CheckpointFile.read(
        new org.apache.hadoop.fs.Path(dir.resolve(VERSION_1.getFileName()).toUri()),
        new Configuration())));
    List<Long> steps = new ArrayList<>();
    TrainResult resumed = fit(sgdIris(), iris, checkpointer(dir, 5, true),
        new TrainingListener() {
          @Override
          public void onStep(int e, int s, long globalStep, double l, double lr, long r) {
            steps.add(globalStep);
          }
        });
    assertEquals(21L, steps.get(0), "continues after the version-1 checkpoint of step 20");
    ExactResumeTest.assertSameRun(whole, resumed);
    assertEquals(CheckpointFile.FORMAT_VERSION, CheckpointFile.formatVersion(CheckpointFile.read(
        new org.apache.hadoop.fs.Path(dir.resolve("ckpt-000000048.safetensors").toUri()),
        new Configuration())), "and goes on in the current version");
  }

  /**
   * The version-1 file predates {@code grad-clip-norm}: at its default (off) the setting is no
   * difference; set, it is one, named like any other.
   */
  @Test
  void aSettingNewerThanTheCheckpointIsADifferenceOnlyOffItsDefault() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("newer"));
    copyVersion1(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fit(sgdIris().set(Settings.GRAD_CLIP_NORM, 1.0), iris,
            checkpointer(dir, 5, true), TrainingListener.NONE));
    assertTrue(e.getMessage().contains("the run differs in grad-clip-norm (checkpoint null, "
        + "now 1.0). Resume"), e.getMessage());
  }

  @Test
  void aResumedEpochReportsItsWholeTime() {
    Path dir = tmp.resolve("time");
    // epoch 3 holds steps 17..24: two seconds pass in it before the checkpoint of step 20
    assertThrows(IllegalStateException.class,
        () -> fit(sgdIris(), iris, checkpointer(dir, 5, false), crashAfter(21, 18, 2000)));
    TrainResult resumed = fit(sgdIris(), iris, checkpointer(dir, 5, true),
        TrainingListener.NONE);
    ExactResumeTest.assertSameRun(whole, resumed);
    EpochMetrics third = resumed.history.get(2);
    assertTrue(third.seconds >= 2.0, "epoch 3 took at least the two seconds before the crash, "
        + "got " + third.seconds + " s");
    assertEquals(third.seconds, iris.train().numRows() / third.rowsPerSecond,
        1e-9 * third.seconds, "rows/s over the whole epoch");
  }

  /**
   * Plain SGD at lr 10⁶ on unscaled iris: every step stays finite but epoch 1's mean loss
   * explodes (the end-of-epoch rule). Resumed from a checkpoint inside that epoch, the run
   * keeps the weights the epoch started from, not those of the checkpoint. (Plain SGD's state
   * holds an empty momentum buffer; its checkpoints were once refused as unreadable.)
   */
  @Test
  void anExplodingEpochResumedInsideKeepsItsStartWeights() throws Exception {
    Split raw = DataLoader.load(SparkTestSession.get(), DataSpec.of("data-samples/iris.csv"),
        LoadOptions.defaults().withPartitions(2).withValidationFraction(0.2).withSeed(42));
    try {
      TrainConfig config = new TrainConfig().optimizer(TrainConfig.OptimizerKind.SGD).lr(1e6)
          .hidden(16).batchSize(16).epochs(5).seed(42);
      TrainingDivergedException expected = assertThrows(TrainingDivergedException.class,
          () -> fit(config, raw, null, TrainingListener.NONE));
      assertTrue(expected.getMessage().startsWith("training diverged in epoch 1:"),
          expected.getMessage());
      Path dir = tmp.resolve("explode");
      assertThrows(IllegalStateException.class,
          () -> fit(config, raw, checkpointer(dir, 3, false), crashAfter(7, -1, 0)));
      double[] atCheckpoint = CheckpointFile.read(new org.apache.hadoop.fs.Path(
          dir.resolve("ckpt-000000006.safetensors").toUri()), new Configuration())
          .tensors().get("params").values();
      TrainingDivergedException resumed = assertThrows(TrainingDivergedException.class,
          () -> fit(config, raw, checkpointer(dir, 3, true), TrainingListener.NONE));
      assertEquals(expected.getMessage(), resumed.getMessage());
      assertArrayEquals(expected.lastGoodParams(), resumed.lastGoodParams(),
          "the weights epoch 1 started from, bit for bit");
      assertFalse(Arrays.equals(atCheckpoint, resumed.lastGoodParams()),
          "the checkpoint's own weights are a different answer");
    } finally {
      raw.unpersist();
    }
  }
}
