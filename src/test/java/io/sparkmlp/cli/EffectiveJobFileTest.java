package io.sparkmlp.cli;

import static io.sparkmlp.cli.MainTest.ok;
import static io.sparkmlp.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.MainTest.Run;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OUT/config.properties} is a job file that re-runs the run: UTF-8, only the options
 * that were given or that change the result, paths that Hadoop reads literally; training
 * again from it gives a bit-identical model.
 */
class EffectiveJobFileTest {
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    SparkTestSession.get();
  }

  private static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    return p;
  }

  @Test
  void reRunningTheJobFileGivesABitIdenticalModel() throws IOException {
    // non-ASCII and every character Hadoop's glob gives a meaning to, in directory and file
    Path base = Files.createDirectories(dir.resolve("données 数据 [v1]{a,b} *?"));
    Path data = base.resolve("iris é?.csv");
    Files.copy(Path.of("data-samples/iris.csv"), data);
    // what the glob reading of those names would match instead: other data
    List<String> decoy = new ArrayList<>(Files.readAllLines(data).subList(0, 60));
    Files.write(Files.createDirectories(dir.resolve("données 数据 va x")).resolve("iris éx.csv"),
        decoy);
    Files.write(base.resolve("iris éx.csv"), decoy);
    Path out = base.resolve("out ü");

    ok("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "3",
        "--hidden", "8", "--standardize", "true", "--validation-fraction", "0.2", "--lr", "0.02",
        "--overwrite");
    Path job = out.resolve("config.properties");
    String text = Files.readString(job, StandardCharsets.UTF_8);
    assertTrue(text.contains("数据") && text.contains("é") && text.contains("ü"), text);
    Properties p = read(job);
    for (String absent : List.of("resume", "overwrite", "checkpoint-every", "keep-checkpoints",
        "checkpoint-dir", "quiet", "log-every", "step-engine", "config")) {
      assertFalse(p.containsKey(absent), absent + " was neither given nor changes the result:\n"
          + text);
    }
    for (String kept : List.of("data", "out", "epochs", "hidden", "lr", "seed", "optimizer",
        "batch-size", "partitions", "dtype", "activation")) {
      assertTrue(p.containsKey(kept), kept + " changes the result:\n" + text);
    }
    assertEquals(out.toString(), p.getProperty("out"));
    byte[] first = Files.readAllBytes(out.resolve("model.safetensors"));

    Run again = ok("train", "--config", job.toString());
    assertArrayEquals(first, Files.readAllBytes(out.resolve("model.safetensors")),
        "the job file reproduces the model bit for bit");
    assertEquals(text, Files.readString(job, StandardCharsets.UTF_8), again.out());
  }

  @Test
  void aCheckpointedRunsJobFileReRunsToo() throws IOException {
    Path out = dir.resolve("out");
    Path ckpt = dir.resolve("ckpt");
    ok("train", "--data", "data-samples/iris.csv", "--out", out.toString(), "--epochs", "2",
        "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "3", "--quiet");
    Path job = out.resolve("config.properties");
    Properties p = read(job);
    assertEquals("3", p.getProperty("checkpoint-every"));
    assertFalse(p.containsKey("resume") || p.containsKey("keep-checkpoints"), p.toString());
    byte[] first = Files.readAllBytes(out.resolve("model.safetensors"));

    Run refused = run("train", "--config", job.toString());
    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains("--resume"), refused.err());
    ok("train", "--config", job.toString(), "--resume");
    assertArrayEquals(first, Files.readAllBytes(out.resolve("model.safetensors")));
    ok("train", "--config", job.toString(), "--checkpoint-dir", dir.resolve("fresh").toString());
    assertArrayEquals(first, Files.readAllBytes(out.resolve("model.safetensors")));
  }
}
