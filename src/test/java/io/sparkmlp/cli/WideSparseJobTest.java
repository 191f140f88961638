package io.sparkmlp.cli;

import static io.sparkmlp.cli.MainTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SparkTestSession;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the CLI on data too wide to densify: 200 000 features, about 50 non-zeros
 * per row. Dense blocks would take 200 000 × 4 bytes = 800 KB per row (4.8 GB for these 6 000
 * rows, more than the test JVM's whole heap); the sparse ones take about 400 bytes per row.
 * Training picks the sparse layout by itself, learns the planted rule, and predict and
 * evaluate score the same file sparse.
 */
class WideSparseJobTest {
  private static final int FEATURES = 200_000;
  private static final int ROWS = 6_000;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    SparkTestSession.get();
  }

  @Test
  void trainsAndPredictsWithoutDensifying() throws IOException {
    assertTrue((long) ROWS * FEATURES * 4 > Runtime.getRuntime().maxMemory(),
        "the dense form must not fit in this JVM's heap");
    Path data = write(dir.resolve("wide.libsvm"));
    String out = dir.resolve("model").toString();
    MainTest.Run train = ok("train", "--data", data.toString(), "--num-features",
        String.valueOf(FEATURES), "--hidden", "8", "--optimizer", "adam", "--lr", "0.01",
        "--batch-size", "100", "--epochs", "5", "--validation-fraction", "0.2", "--seed", "1",
        "--out", out);
    assertTrue(train.out().contains("sparse}, cached"), train.out());
    Matcher bytes = Pattern.compile("\\((\\d+) bytes per row, sparse\\)").matcher(train.out());
    assertTrue(bytes.find(), train.out());
    int perRow = Integer.parseInt(bytes.group(1));
    assertTrue(perRow < 50 * 8 + 32, "about 50 non-zeros x (index + float) per row: " + perRow);
    Matcher acc = Pattern.compile("model of epoch \\d+: .*val_acc ([0-9.]+)%").matcher(train.out());
    assertTrue(acc.find(), train.out());
    double valAcc = Double.parseDouble(acc.group(1));
    assertTrue(valAcc > 85, "the planted rule is learnt: val_acc " + valAcc);

    Path predictions = dir.resolve("pred");
    ok("predict", "--model", out, "--data", data.toString(), "--out", predictions.toString());
    List<Path> parts;
    try (var files = Files.list(predictions)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
    }
    long lines = 0;
    for (Path p : parts) {
      lines += Files.readAllLines(p).stream().filter(l -> !l.isBlank()).count();
    }
    assertTrue(lines >= ROWS, "a prediction per row (plus a header): " + lines);
    MainTest.Run eval = ok("evaluate", "--model", out, "--data", data.toString());
    Matcher accuracy = Pattern.compile("accuracy\\s+([0-9.]+)").matcher(eval.out());
    assertTrue(accuracy.find(), eval.out());
    assertTrue(Double.parseDouble(accuracy.group(1)) > 0.85, eval.out());
  }

  /**
   * Each row: 10 of 200 informative features and 40 of the other 199 800, all 1.0; the label
   * is 1 when more of its informative features are odd-numbered than even (ties dropped).
   */
  private static Path write(Path p) throws IOException {
    SplittableRandom rng = new SplittableRandom(42);
    int written = 0;
    try (BufferedWriter w = Files.newBufferedWriter(p)) {
      while (written < ROWS) {
        TreeSet<Integer> cols = new TreeSet<>();
        int score = 0;
        while (cols.size() < 10) {
          int j = 1 + rng.nextInt(200);
          if (cols.add(j)) {
            score += j % 2 == 1 ? 1 : -1;
          }
        }
        while (cols.size() < 50) {
          cols.add(201 + rng.nextInt(FEATURES - 200));
        }
        if (score == 0) {
          continue;
        }
        StringBuilder sb = new StringBuilder(score > 0 ? "1" : "0");
        for (int j : cols) {
          sb.append(' ').append(j).append(":1");
        }
        w.write(sb.append('\n').toString());
        written++;
      }
    }
    assertEquals(ROWS, written);
    return p;
  }
}
