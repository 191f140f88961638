package io.sparkmlp.cli;

import static io.sparkmlp.cli.MainTest.ok;
import static io.sparkmlp.cli.MainTest.run;
import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --weight-col} end to end: a weight of 2 trains as the row written twice and a weight of
 * 0 as the row removed (float64, full batch, 1 and 3 partitions, 1e-12 relative), LibSVM's
 * {@code label:weight} reads the same weights as a CSV column, evaluation metrics are weighted,
 * and bad weights are refused naming file, line, column and value.
 */
class SampleWeightsCliTest {
  /** Iris rows i get weight WEIGHTS[i % 3]: 2, 0, 1 (each class keeps rows of weight > 0). */
  private static final int[] WEIGHTS = {2, 0, 1};
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    SparkTestSession.get();
  }

  @Test
  void weightTwoIsTheRowTwiceAndZeroTheRowRemoved() throws IOException {
    List<String> iris = Files.readAllLines(Path.of("data-samples/iris.csv"));
    StringBuilder weighted = new StringBuilder(iris.get(0)).append(",weight\n");
    StringBuilder copies = new StringBuilder(iris.get(0)).append('\n');
    StringBuilder libsvm = new StringBuilder();
    for (int i = 1; i < iris.size(); i++) {
      int w = WEIGHTS[(i - 1) % 3];
      String row = iris.get(i);
      weighted.append(row).append(',').append(w).append('\n');
      copies.append((row + "\n").repeat(w));
      String[] f = row.split(",");
      libsvm.append(f[0]).append(':').append(w);
      for (int j = 1; j < f.length; j++) {
        libsvm.append(' ').append(j).append(':').append(f[j]);
      }
      libsvm.append('\n');
    }
    Path weightedCsv = write("weighted.csv", weighted);
    Path copiesCsv = write("copies.csv", copies);
    Path weightedLibsvm = write("weighted.libsvm", libsvm);
    for (String partitions : new String[] {"1", "3"}) {
      double[] byWeight = train(weightedCsv, partitions, "--weight-col", "weight");
      double[] byCopies = train(copiesCsv, partitions);
      assertClose(byCopies, byWeight, 1e-12, "weights vs copies, " + partitions + " partitions");
      double[] unweighted = train(weightedCsv, partitions);
      assertNotEquals(byCopies[0], unweighted[0], "without --weight-col the weights are a "
          + "feature and the run differs");
      double[] fromLibsvm = train(weightedLibsvm, partitions, "--weight-col", "weight",
          "--input-layout", "dense");
      assertClose(byWeight, fromLibsvm, 1e-12, "LibSVM label:weight, " + partitions
          + " partitions");
    }

    String model = dir.resolve("model-3").toString();
    JsonNode byWeight = evaluate(model, weightedCsv, "--weight-col", "weight");
    JsonNode byCopies = evaluate(model, copiesCsv);
    assertEquals(byCopies.get("accuracy").asDouble(), byWeight.get("accuracy").asDouble(),
        "weighted accuracy = accuracy on the copies");
    assertEquals(byCopies.get("log_loss").asDouble(), byWeight.get("log_loss").asDouble(),
        1e-12 * byCopies.get("log_loss").asDouble(), "weighted log loss");
    assertEquals(150, byWeight.get("rows").asLong());
    assertEquals(150.0, byWeight.get("weight_sum").asDouble());
    assertEquals(byCopies.get("macro_f1").asDouble(), byWeight.get("macro_f1").asDouble(),
        1e-15, "weighted F1");

    for (Path data : new Path[] {weightedCsv, weightedLibsvm}) {
      Path predictions = dir.resolve("pred-" + data.getFileName());
      ok("predict", "--model", model, "--data", data.toString(), "--weight-col", "weight",
          "--out", predictions.toString());
      long rows = 0;
      try (var files = Files.list(predictions)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
          rows += Files.readAllLines(p).size() - 1;
        }
      }
      assertEquals(150, rows, "predict skips the weights of " + data.getFileName());
    }
  }

  /**
   * A Parquet weight column gives the run of the same CSV column (the weight column is no
   * feature), and a null weight is refused naming the file, the record and the column.
   */
  @Test
  void parquetWeightColumn() throws IOException {
    List<String> iris = Files.readAllLines(Path.of("data-samples/iris.csv"));
    StringBuilder weighted = new StringBuilder(iris.get(0)).append(",weight\n");
    for (int i = 1; i < iris.size(); i++) {
      weighted.append(iris.get(i)).append(',').append(WEIGHTS[(i - 1) % 3]).append('\n');
    }
    Path csv = write("weighted.csv", weighted);
    String parquet = dir.resolve("weighted.parquet").toString();
    SparkTestSession.get().read().option("header", true).option("inferSchema", true)
        .csv(csv.toString()).coalesce(1).write().parquet(parquet);
    double[] fromCsv = train(csv, "3", "--weight-col", "weight");
    double[] fromParquet = train(Path.of(parquet), "3", "--weight-col", "weight");
    assertClose(fromCsv, fromParquet, 1e-12, "Parquet weight column");

    Path nullCsv = write("null.csv", "label,f0,f1,w\n0,1,2,1\n1,3,4,\n");
    String nullParquet = dir.resolve("null.parquet").toString();
    SparkTestSession.get().read().option("header", true).option("inferSchema", true)
        .csv(nullCsv.toString()).coalesce(1).write().parquet(nullParquet);
    assertRefused(Path.of(nullParquet), "null.parquet", "record 2", "column 'w'",
        "null sample weight");
  }

  @Test
  void badWeightsAreRefusedNamingFileLineColumnAndValue() throws IOException {
    String header = "label,f0,f1,w\n";
    String good = "0,1.5,2\n1,0.5,-1\n";
    assertRefused(write("negative.csv", header + "0,1,2,1\n1,3,4,-0.5\n"),
        "negative.csv", "line 3", "column 'w'", "-0.5", "negative");
    assertRefused(write("nan.csv", header + "0,1,2,NaN\n1,3,4,1\n"),
        "nan.csv", "line 2", "column 'w'", "NaN", "NaN or infinite");
    assertRefused(write("text.csv", header + "0,1,2,1\n1,3,4,heavy\n"),
        "text.csv", "line 3", "column 'w'", "heavy", "not a number");
    assertRefused(write("inf.csv", header + "0,1,2,Infinity\n1,3,4,1\n"),
        "inf.csv", "line 2", "column 'w'", "Infinity", "NaN or infinite");
    assertRefused(write("missing.csv", "label,f0,f1\n" + good),
        "missing.csv", "weight column 'w' not found");
    assertRefused(write("zero.csv", header + "0,1,2,0\n1,3,4,0.0\n"),
        "zero.csv", "every sample weight is 0", "column 'w'");
    assertRefused(write("bad.libsvm", "0:1 1:1.5 2:2\n1:-2 1:0.5 2:-1\n"),
        "bad.libsvm", "line 2", "label:weight", "1:-2", "negative");
  }

  private void assertRefused(Path data, String... parts) {
    MainTest.Run r = run("train", "--data", data.toString(), "--weight-col", "w", "--epochs",
        "1", "--quiet", "--out", dir.resolve("never").toString());
    assertEquals(2, r.status(), "exit status of bad input: " + r.out() + r.err());
    for (String p : parts) {
      assertTrue(r.err().contains(p), "'" + p + "' in: " + r.err());
    }
    assertTrue(Files.notExists(dir.resolve("never/model.safetensors")), "no model written");
  }

  private double[] train(Path data, String partitions, String... extra) throws IOException {
    String out = dir.resolve("model-" + partitions).toString();
    List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(),
        "--dtype", "float64", "--batch-size", "full", "--epochs", "25", "--hidden", "8",
        "--lr", "0.01", "--seed", "7", "--partitions", partitions, "--quiet", "--overwrite",
        "--out", out));
    args.addAll(List.of(extra));
    ok(args.toArray(new String[0]));
    return ModelFile.read(new org.apache.hadoop.fs.Path(out, "model.safetensors"),
        new Configuration()).params();
  }

  private JsonNode evaluate(String model, Path data, String... extra) throws IOException {
    Path json = dir.resolve("metrics-" + data.getFileName() + ".json");
    List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--model", model,
        "--data", data.toString(), "--out", json.toString()));
    args.addAll(List.of(extra));
    ok(args.toArray(new String[0]));
    return new ObjectMapper().readTree(json.toFile());
  }

  private Path write(String name, CharSequence text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
