package io.sparkmlp.cli;

import static io.sparkmlp.cli.MainTest.ok;
import static io.sparkmlp.cli.MainTest.readCsvDir;
import static io.sparkmlp.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.MainTest.Run;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output policy of every command that writes (train, predict, evaluate, bench): what the
 * user owns is never destroyed, a model directory is never replaced by predictions, a
 * command's own earlier output is replaced, and an output that cannot be written is found
 * before any data is read.
 */
class OutputSafetyTest {
  private static final String IRIS = "data-samples/iris.csv";
  /** Data that cannot be read: an error about it means the output was not checked first. */
  private static final String NO_DATA = "data-samples/no-such-file.csv";

  @TempDir static Path shared;
  @TempDir Path dir;
  private static String model;

  @BeforeAll
  static void trainOnce() {
    SparkTestSession.get();
    model = MainTest.trainIris(shared, 2);
  }

  private static Run refused(String... args) {
    Run r = run(args);
    assertEquals(2, r.status(), String.join(" ", args) + "\nout:\n" + r.out() + "\nerr:\n"
        + r.err());
    assertFalse(r.err().contains("\tat "), "a message, not a stack trace: " + r.err());
    return r;
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void predictRefusesADirectoryOfUserFilesUnlessTold() throws IOException {
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(mine.resolve("notes.txt"), "keep me");
    Files.createDirectories(mine.resolve("photos"));
    Run r = refused("predict", "--model", model, "--data", IRIS, "--out", mine.toString());
    assertTrue(r.err().contains(mine.toString()) && r.err().contains("notes.txt")
        && r.err().contains("photos/") && r.err().contains("--overwrite"), r.err());
    assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));

    ok("predict", "--model", model, "--data", IRIS, "--out", mine.toString(), "--overwrite");
    assertFalse(Files.exists(mine.resolve("notes.txt")), "--overwrite replaces it");
    assertEquals(151, readCsvDir(mine).size());
  }

  @Test
  void predictNeverReplacesAModelDirectory() throws IOException {
    Path modelFile = Path.of(model, "model.safetensors");
    byte[] before = Files.readAllBytes(modelFile);
    Run r = refused("predict", "--model", model, "--data", IRIS, "--out", model);
    assertTrue(r.err().contains(model) && r.err().contains("model"), r.err());
    refused("predict", "--model", model, "--data", IRIS, "--out", model, "--overwrite");
    refused("predict", "--model", modelFile.toString(), "--data", IRIS, "--out",
        modelFile.toString(), "--overwrite");

    Path other = dir.resolve("other-model");
    ok("train", "--data", IRIS, "--epochs", "1", "--quiet", "--out", other.toString());
    r = refused("predict", "--model", model, "--data", IRIS, "--out", other.toString(),
        "--overwrite");
    assertTrue(r.err().contains("model.safetensors"), r.err());
    assertTrue(Files.exists(other.resolve("model.safetensors")));
    assertArrayEquals(before, Files.readAllBytes(modelFile));
  }

  @Test
  void predictRefusesARegularFileAndTheInputData() throws IOException {
    Path file = Files.writeString(dir.resolve("precious.csv"), "label,f0\n1,2\n");
    Run r = refused("predict", "--model", model, "--data", IRIS, "--out", file.toString());
    assertTrue(r.err().contains(file.toString()) && r.err().contains("file"), r.err());
    assertEquals("label,f0\n1,2\n", Files.readString(file));

    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(Path.of(IRIS), data.resolve("iris.csv"));
    r = refused("predict", "--model", model, "--data", data.toString(), "--out",
        data.toString(), "--overwrite");
    assertTrue(r.err().contains("--data"), r.err());
    assertTrue(Files.exists(data.resolve("iris.csv")));
  }

  @Test
  void eachCommandReplacesItsOwnEarlierOutput() throws IOException {
    Path predictions = dir.resolve("pred");
    ok("predict", "--model", model, "--data", IRIS, "--out", predictions.toString());
    Path ten = dir.resolve("ten.csv");
    Files.write(ten, Files.readAllLines(Path.of(IRIS)).subList(0, 11));
    ok("predict", "--model", model, "--data", ten.toString(), "--out", predictions.toString());
    assertEquals(11, readCsvDir(predictions).size(), "the earlier predictions are replaced");

    Path json = dir.resolve("eval.json");
    Path png = dir.resolve("cm.png");
    for (int i = 0; i < 2; i++) {
      ok("evaluate", "--model", model, "--data", IRIS, "--out", json.toString(), "--plot",
          png.toString());
    }

    Path out = dir.resolve("train");
    ok("train", "--data", IRIS, "--epochs", "1", "--log-every", "1", "--quiet", "--out",
        out.toString());
    assertTrue(names(out).contains("steps.jsonl"));
    ok("train", "--data", IRIS, "--epochs", "1", "--quiet", "--out", out.toString());
    assertFalse(names(out).contains("steps.jsonl"), "no stale file of the earlier run: "
        + names(out));
  }

  @Test
  void trainAndEvaluateRefuseWhatTheyDidNotWrite() throws IOException {
    Path mine = Files.createDirectories(dir.resolve("results"));
    Files.writeString(mine.resolve("thesis.tex"), "chapter 1");
    Run r = refused("train", "--data", NO_DATA, "--out", mine.toString());
    assertTrue(r.err().contains("thesis.tex") && !r.err().contains("no data file"), r.err());
    assertEquals(List.of("thesis.tex"), names(mine));

    Path json = Files.writeString(dir.resolve("notes.json"), "{\"mine\": true}");
    r = refused("evaluate", "--model", model, "--data", IRIS, "--out", json.toString());
    assertTrue(r.err().contains("notes.json"), r.err());
    assertEquals("{\"mine\": true}", Files.readString(json));

    r = refused("bench", "--quick", "--figures", "1", "--out", json.toString());
    assertTrue(r.err().contains("notes.json"), r.err());
    assertEquals("{\"mine\": true}", Files.readString(json));
  }

  /** Issue 18, case 10: no message about Hadoop's internal temporary path. */
  @Test
  void evaluateOutThatIsADirectoryIsRefusedByName() throws IOException {
    Path metrics = Files.createDirectories(dir.resolve("metrics"));
    Files.writeString(metrics.resolve("old.json"), "{}");
    Run r = refused("evaluate", "--model", model, "--data", IRIS, "--out", metrics.toString());
    assertTrue(r.err().contains(metrics.toString()) && r.err().contains("directory")
        && !r.err().contains(".tmp-"), r.err());
    assertEquals(List.of("old.json"), names(metrics));
    ok("evaluate", "--model", model, "--data", IRIS, "--out",
        metrics.resolve("new.json").toString());
  }

  /** Issue 18, case 6: every output is checked before the data are read. */
  @Test
  void unwritableOutputsAreFoundBeforeTheDataIsRead() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    String under = file.resolve("sub").toString();
    for (String[] args : List.of(
        new String[] {"train", "--data", NO_DATA, "--out", file.toString()},
        new String[] {"train", "--data", NO_DATA, "--out", under},
        new String[] {"train", "--data", NO_DATA, "--out", "/proc/spark-mlp-test/out"},
        new String[] {"train", "--data", NO_DATA, "--out", dir.resolve("ok").toString(),
            "--checkpoint-dir", under},
        new String[] {"predict", "--model", model, "--data", NO_DATA, "--out", under},
        new String[] {"evaluate", "--model", model, "--data", NO_DATA, "--out", under + "/m.json"},
        new String[] {"evaluate", "--model", model, "--data", NO_DATA, "--plot", under + ".png/x"},
        new String[] {"bench", "--quick", "--figures", "1", "--out", under + "/b.json"})) {
      Run r = refused(args);
      assertFalse(r.err().contains("no data file"), "output checked first: " + r.err());
      assertTrue(r.err().contains("a-file") || r.err().contains("/proc"), r.err());
    }
    assertEquals("x", Files.readString(file));
    assertFalse(Files.exists(dir.resolve("ok")), "nothing created for a refused run");
  }
}
