package io.sparkmlp.cli;

import static io.sparkmlp.cli.MainTest.ok;
import static io.sparkmlp.cli.MainTest.readCsvDir;
import static io.sparkmlp.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.cli.MainTest.Run;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature columns of CSV and Parquet data are matched to the model by the names stored in its
 * metadata at training, whatever their order; LibSVM (and a model without names) is matched
 * by position; the output says which was used; a missing or extra column is named.
 */
class FeatureNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path dir;
  private static String model;

  @BeforeAll
  static void trainOnce() {
    SparkTestSession.get();
    model = MainTest.trainIris(shared, 20);
  }

  /** iris.csv with its columns in the order {@code order} (indices into label,f0,f1,f2,f3). */
  private Path reordered(String name, int... order) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("data-samples/iris.csv"))) {
      String[] f = line.split(",");
      StringBuilder sb = new StringBuilder();
      for (int c : order) {
        sb.append(sb.length() == 0 ? "" : ",").append(c < f.length ? f[c] : "7");
      }
      out.add(sb.toString());
    }
    return Files.write(dir.resolve(name), out);
  }

  private JsonNode evaluate(String data) throws IOException {
    Path json = dir.resolve("eval-" + Math.abs(data.hashCode()) + ".json");
    Run r = ok("evaluate", "--model", model, "--data", data, "--out", json.toString());
    JsonNode m = JSON.readTree(json.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("printed", r.out());
    return m;
  }

  @Test
  void theModelRecordsItsFeatureNames() throws IOException {
    String names = ModelFile.read(new org.apache.hadoop.fs.Path(model, "model.safetensors"),
        new Configuration()).extra().get("feature_names");
    assertEquals("[\"f0\",\"f1\",\"f2\",\"f3\"]", names);
  }

  @Test
  void shuffledCsvColumnsAreMatchedByName() throws IOException {
    JsonNode straight = evaluate("data-samples/iris.csv");
    JsonNode shuffled = evaluate(reordered("shuffled.csv", 3, 0, 4, 2, 1).toString());
    assertTrue(straight.get("accuracy").asDouble() > 0.9, straight.toString());
    assertEquals(straight.get("accuracy"), shuffled.get("accuracy"));
    assertEquals(straight.get("log_loss"), shuffled.get("log_loss"));
    assertTrue(shuffled.get("printed").asText().contains("features matched by name"),
        shuffled.get("printed").asText());

    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    ok("predict", "--model", model, "--data", "data-samples/iris.csv", "--out", a.toString());
    ok("predict", "--model", model, "--data", dir.resolve("shuffled.csv").toString(), "--out",
        b.toString());
    assertEquals(readCsvDir(a), readCsvDir(b));
  }

  @Test
  void shuffledParquetColumnsAreMatchedByName() throws IOException {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> iris = spark.read().option("header", true).option("inferSchema", true)
        .csv("data-samples/iris.csv").select("f2", "label", "f3", "f0", "f1");
    String parquet = dir.resolve("shuffled.parquet").toString();
    iris.coalesce(1).write().parquet(parquet);
    JsonNode straight = evaluate("data-samples/iris.csv");
    JsonNode shuffled = evaluate(parquet);
    assertEquals(straight.get("accuracy"), shuffled.get("accuracy"));
    assertEquals(straight.get("log_loss"), shuffled.get("log_loss"));
  }

  @Test
  void aMissingOrExtraColumnIsNamed() throws IOException {
    Run missing = run("evaluate", "--model", model, "--data",
        reordered("missing.csv", 0, 1, 2, 4).toString());
    assertEquals(2, missing.status(), missing.err());
    assertTrue(missing.err().contains("missing.csv") && missing.err().contains("'f2'"),
        missing.err());

    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data-samples/iris.csv")));
    lines.replaceAll(l -> l + (l.startsWith("label") ? ",id" : ",1"));
    Path extra = Files.write(dir.resolve("extra.csv"), lines);
    Run r = run("predict", "--model", model, "--data", extra.toString(), "--out",
        dir.resolve("p").toString());
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("extra.csv") && r.err().contains("'id'"), r.err());
  }

  @Test
  void libsvmAndModelsWithoutNamesAreMatchedByPosition() throws IOException {
    JsonNode libsvm = evaluate("data-samples/iris.libsvm");
    assertTrue(libsvm.get("printed").asText().contains("features matched by position"),
        libsvm.get("printed").asText());
    assertEquals(evaluate("data-samples/iris.csv").get("accuracy"), libsvm.get("accuracy"));

    String positional = dir.resolve("from-libsvm").toString();
    ok("train", "--data", "data-samples/iris.libsvm", "--epochs", "2", "--quiet", "--out",
        positional);
    Run r = ok("evaluate", "--model", positional, "--data", "data-samples/iris.csv");
    assertTrue(r.out().contains("features matched by position"), r.out());
  }
}
