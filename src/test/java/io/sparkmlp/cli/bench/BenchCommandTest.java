package io.sparkmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.cli.Main;
import io.sparkmlp.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of {@code bench} on tiny sizes: every figure except MLPC's (whose first fit alone
 * takes seconds) is measured and written, the sparse one included. No timing is checked: figures are only meaningful on
 * an idle machine.
 */
class BenchCommandTest {
  @TempDir
  Path dir;

  @Test
  void quickRunPrintsAndWritesEveryFigure() throws Exception {
    SparkTestSession.get();
    Path json = dir.resolve("bench.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"bench", "--quick", "--figures", "1,2,3,5,6,8",
        "--rows", "512", "--batches", "128", "--dtypes", "float32", "--gemm-millis", "1",
        "--out", json.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(text.contains("bundled 1 thread") && text.contains("java 2 at once"),
        "figure 1 measures the bundled OpenBLAS and plain Java side by side: " + text);
    assertTrue(text.contains("figure 1: java: float32 batch 128 (64 rows per partition): GEMM "),
        text);
    assertTrue(text.contains("figure 2: float32 batch 128 local[2] job engine: epoch "), text);
    assertTrue(text.contains("figure 3: per-step overhead floor (16-8-2, batch 64"), text);
    assertTrue(text.contains("float32 batch 128: epoch "), "figure 6's layouts: " + text);
    assertTrue(text.contains("non-zeros per row: cached "), "figure 6's wide run: " + text);
    assertTrue(text.contains("figure 8: float32 128 rows: "), "figure 8's weights: " + text);
    JsonNode figures = new ObjectMapper().readTree(Files.readAllBytes(json)).get("figures");
    assertEquals(6, figures.size());
    for (JsonNode f : figures) {
      assertTrue(f.get("rows").size() > 0, f.toString());
      assertTrue(f.get("summary").size() > 0, f.toString());
    }
  }

  @Test
  void rejectsAnUnknownFigure() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"bench", "--figures", "9"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("figures 1 to 8"));
  }

  /** Figure 7 on local[2]: both engines' rows with driver bytes, and the cost model's table. */
  @Test
  void executorsFigureMeasuresBothEnginesAndProjectsLargerClusters() throws Exception {
    SparkTestSession.get();
    Path json = dir.resolve("bench7.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"bench", "--quick", "--figures", "7", "--data",
        "data-samples/digits.csv", "--partitions", "2", "--engines", "stage,job",
        "--rows-per-partition", "64", "--out", json.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(text.contains("figure 7: 1 executor(s), 2 partitions, stage engine: "), text);
    assertTrue(text.contains("figure 7: 1 executor(s), 2 partitions, job engine: "), text);
    JsonNode figures = new ObjectMapper().readTree(Files.readAllBytes(json)).get("figures");
    assertEquals(2, figures.size());
    assertEquals(2, figures.get(0).get("rows").size());
    assertEquals(4, figures.get(1).get("rows").size(), "2 networks x 2 link speeds");
  }
}
