package io.sparkmlp.train;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.Main;
import io.sparkmlp.data.Split;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.testing.Golden;
import io.sparkmlp.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --grad-clip-norm} through the distributed trainer and from the command line. */
class GradClipTrainingTest {
  @TempDir Path dir;

  /** PyTorch's clipped runs to 1e-9 with one partition and with three. */
  @ParameterizedTest
  @ValueSource(strings = {"sgd_clip", "adam_clip"})
  void sparkTrainingMatchesPytorchClippedRuns(String name) throws IOException {
    Golden g = Golden.load("opt_" + name);
    TrainConfig config = g.optimizerRun();
    Path csv = g.writeCsv(dir);
    for (int partitions : new int[] {1, 3}) {
      Split split = g.split(SparkTestSession.get(), csv, partitions);
      TrainResult r = new Trainer(SparkTestSession.get(), config).fit(split.train(), null,
          g.initialParams, TrainingListener.NONE);
      assertClose(g.flat("final."), r.params, 1e-9, name + " with " + partitions + " partitions");
      split.unpersist();
    }
  }

  @Test
  void theOptionClipsRecordsItselfAndIsKeptWithTheModel() throws IOException {
    SparkTestSession.get();
    Path clipped = dir.resolve("clipped");
    Path plain = dir.resolve("plain");
    train("--out", clipped.toString(), "--grad-clip-norm", "0.05");
    train("--out", plain.toString());
    String job = Files.readString(clipped.resolve("config.properties"));
    assertTrue(job.contains("\ngrad-clip-norm=0.05\n"), job);
    assertTrue(Files.readString(plain.resolve("config.properties"))
        .contains("\ngrad-clip-norm=0.0\n"), "a default that changes the result is recorded");
    double[] a = ModelFile.read(new org.apache.hadoop.fs.Path(
        clipped.resolve("model.safetensors").toString()), new Configuration()).params();
    double[] b = ModelFile.read(new org.apache.hadoop.fs.Path(
        plain.resolve("model.safetensors").toString()), new Configuration()).params();
    assertFalse(Arrays.equals(a, b), "clipping at 0.05 changes the model");
    String meta = ModelFile.read(new org.apache.hadoop.fs.Path(
        clipped.resolve("model.safetensors").toString()), new Configuration()).extra()
        .get("train_config");
    assertTrue(meta.contains("\"grad-clip-norm\":\"0.05\""), meta);
  }

  private static void train(String... outArgs) {
    List<String> args = new ArrayList<>(List.of("train", "--data",
        "data-samples/iris.csv", "--epochs", "2", "--hidden", "8", "--standardize", "--quiet"));
    args.addAll(List.of(outArgs));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
  }
}
