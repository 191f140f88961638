package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataFormatException;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.io.CheckpointFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.train.CheckpointEvery;
import io.sparkmlp.train.Checkpointer;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingDivergedException;
import io.sparkmlp.train.TrainingListener;
import io.sparkmlp.testing.SparkTestSession;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad data in a big file, and a run that blows up mid-training. */
class HostileInputTest {
  @TempDir Path tmp;

  /** One bad value on line 600,001 of a million-row CSV: the error names that line. */
  @Test
  void aBadLineInAMillionRowsIsNamed() throws Exception {
    Path csv = tmp.resolve("million.csv");
    long badLine = 600_001;
    try (BufferedWriter w = Files.newBufferedWriter(csv)) {
      w.write("label,a,b\n");
      for (int row = 1; row <= 1_000_000; row++) {
        long line = row + 1;
        w.write(row % 3 + "," + (row % 97) + "," + (line == badLine ? "4.5.6" : "0.25") + "\n");
      }
    }
    DataFormatException e = assertThrows(DataFormatException.class, () -> DataLoader.load(
        SparkTestSession.get(), DataSpec.of(csv.toString()), LoadOptions.defaults()
            .withPartitions(2)));
    assertEquals(badLine, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("million.csv") && e.getMessage().contains("line 600001")
        && e.getMessage().contains("4.5.6"), e.getMessage());
  }

  /**
   * SGD whose warm-up ramps the rate to 1e4: the loss turns non-finite after some finite steps.
   * Training stops before the bad update with the last finite weights, and the newest
   * checkpoint (written every step) is intact, checksummed and holds exactly those weights.
   */
  @Test
  void divergenceMidTrainingKeepsTheLastGoodWeightsAndCheckpoint() throws Exception {
    Split digits = DataLoader.load(SparkTestSession.get(), DataSpec.of("data-samples/digits.csv"),
        LoadOptions.defaults().withPartitions(2).withStandardize(true));
    Path dir = tmp.resolve("ckpt");
    TrainConfig config = new TrainConfig().optimizer(TrainConfig.OptimizerKind.SGD).lr(1e4)
        .warmupSteps(200).hidden(32).batchSize(128).epochs(20);
    try {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> new Trainer(SparkTestSession.get(), config)
              .withCheckpoints(new Checkpointer(new org.apache.hadoop.fs.Path(dir.toUri()),
                  new Configuration(), CheckpointEvery.steps(1), 2, false, Map.of()))
              .fit(digits.train(), null, null, TrainingListener.NONE));
      java.util.List<String> names;
      try (var s = Files.list(dir)) {
        names = s.map(p -> p.getFileName().toString()).sorted().toList();
      }
      assertEquals(2, names.size(), "keep 2, no temporary files left: " + names);
      long lastGood = Long.parseLong(names.get(1).replaceAll("\\D", ""));
      assertTrue(lastGood >= 2, "diverges mid-training, after step " + lastGood);
      int stepsPerEpoch = (int) Math.ceil(digits.train().numRows() / 128.0);
      assertTrue(e.getMessage().contains(String.format("epoch %d step %d",
          lastGood / stepsPerEpoch + 1, lastGood % stepsPerEpoch + 1)), e.getMessage());
      Safetensors newest = CheckpointFile.read(
          new org.apache.hadoop.fs.Path(dir.resolve(names.get(1)).toUri()), new Configuration());
      double[] saved = newest.tensors().get("params").values();
      for (double v : saved) {
        assertTrue(Double.isFinite(v), "checkpointed weights are finite");
      }
      assertArrayEquals(e.lastGoodParams(), saved, "the checkpoint holds the last good weights");
    } finally {
      digits.unpersist();
    }
  }
}
