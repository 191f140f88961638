package io.sparkmlp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The job end to end through {@link Main}, in the shared local[2] session, from job files. */
class MainTest {
  @TempDir Path dir;

  /** What one command printed and returned. */
  record Run(int status, String out, String err) {}

  @BeforeAll
  static void startSpark() {
    SparkTestSession.get();
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Trains {@code jobs/iris.properties} for {@code epochs} epochs into {@code dir/iris}. */
  static String trainIris(Path dir, int epochs) {
    String out = dir.resolve("iris").toString();
    ok("train", "--config", "jobs/iris.properties", "--epochs", Integer.toString(epochs),
        "--quiet", "--out", out);
    return out;
  }

  static Run ok(String... args) {
    Run r = run(args);
    assertEquals(0, r.status, String.join(" ", args) + "\nout:\n" + r.out + "\nerr:\n" + r.err);
    return r;
  }

  @Test
  void digitsTrainPredictEvaluateSummary() throws IOException {
    String out = dir.resolve("digits").toString();
    Run train = ok("train", "--config", "jobs/digits.properties", "--epochs", "6", "--out", out);
    assertTrue(train.out.contains("epoch 6/6"), train.out);
    assertTrue(train.out.contains("Total params: 9,610"), "summary table printed");

    List<String> metrics = Files.readAllLines(Path.of(out, "metrics.jsonl"));
    assertEquals(6, metrics.size());
    JsonNode last = new ObjectMapper().readTree(metrics.get(5));
    assertEquals(6, last.get("epoch").asInt());
    assertTrue(last.get("val_accuracy").asDouble() > 0.9, metrics.get(5));
    for (String field : List.of("train_loss", "val_loss", "lr", "seconds", "rows_per_second")) {
      assertTrue(last.has(field), "metrics.jsonl has " + field);
    }
    String config = Files.readString(Path.of(out, "config.properties"));
    assertTrue(config.contains("epochs=6\n") && config.contains("data=data-samples/digits.csv\n"),
        config);

    SavedModel model = ModelFile.read(new org.apache.hadoop.fs.Path(out, "model.safetensors"),
        new Configuration());
    assertArrayEquals(new int[] {64, 128, 10}, model.mlp().layerSizes());
    assertEquals(64, model.featureMean().length, "standardisation is stored in the model");

    String predictions = dir.resolve("pred").toString();
    ok("predict", "--model", out, "--data", "data-samples/digits.libsvm", "--out", predictions);
    List<String> lines = readCsvDir(Path.of(predictions));
    assertEquals("row,prediction,prob_0,prob_1,prob_2,prob_3,prob_4,prob_5,prob_6,prob_7,prob_8,prob_9",
        lines.get(0));
    assertEquals(1797 + 1, lines.size());
    String[] first = lines.get(1).split(",");
    double sum = 0;
    for (int j = 2; j < first.length; j++) {
      sum += Double.parseDouble(first[j]);
    }
    assertEquals(1.0, sum, 1e-6, "probabilities sum to one");

    Path json = dir.resolve("eval.json");
    Run eval = ok("evaluate", "--model", out + "/model.safetensors", "--data",
        "data-samples/digits.csv", "--out", json.toString());
    JsonNode m = new ObjectMapper().readTree(json.toFile());
    assertEquals(1797, m.get("rows").asLong());
    assertTrue(m.get("accuracy").asDouble() > 0.93, eval.out);
    assertEquals(10, m.get("confusion_matrix").size());
    assertEquals(10, m.get("per_class").size());
    assertTrue(m.has("macro_f1") && m.has("log_loss"));
    // predicted classes in the CSV agree with the evaluated accuracy
    long correct = 0;
    List<String> truth = Files.readAllLines(Path.of("data-samples/digits.csv"));
    for (int i = 1; i < lines.size(); i++) {
      String[] p = lines.get(i).split(",");
      int row = Integer.parseInt(p[0]);
      correct += Double.parseDouble(p[1]) == Double.parseDouble(truth.get(row + 1).split(",")[0]) ? 1 : 0;
    }
    assertEquals(m.get("accuracy").asDouble(), correct / 1797.0, 1e-12);

    Run summary = ok("summary", "--model", out);
    assertTrue(summary.out.contains("Linear: model.2") && summary.out.contains("9,610"), summary.out);
    Run jobSummary = ok("summary", "--config", "jobs/mnist.properties");
    assertTrue(jobSummary.out.contains("235,146"), jobSummary.out);
  }

  @Test
  void diabetesRegressionEndToEnd() throws IOException {
    String out = dir.resolve("diabetes").toString();
    ok("train", "--config", "jobs/diabetes.properties", "--epochs", "30", "--out", out);
    JsonNode last = new ObjectMapper().readTree(
        Files.readAllLines(Path.of(out, "metrics.jsonl")).get(29));
    assertTrue(last.has("val_rmse") && last.has("val_r2"), last.toString());
    String predictions = dir.resolve("pred").toString();
    ok("predict", "--model", out, "--data", "data-samples/diabetes.csv", "--out", predictions,
        "--output-format", "parquet");
    long rows = SparkTestSession.get().read().parquet(predictions).count();
    assertEquals(442, rows);
    Path json = dir.resolve("eval.json");
    ok("evaluate", "--model", out, "--data", "data-samples/diabetes.csv", "--out", json.toString());
    JsonNode m = new ObjectMapper().readTree(json.toFile());
    assertTrue(m.get("r2").asDouble() > 0.3, m.toString());
    assertEquals(Math.sqrt(m.get("mse").asDouble()), m.get("rmse").asDouble(), 1e-9);
  }

  @Test
  void predictAndEvaluateReadTheLabelColumnsTheModelWasTrainedWith() throws IOException {
    Path csv = dir.resolve("species.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data-samples/iris.csv")));
    lines.set(0, lines.get(0).replaceFirst("^label,", "species,"));
    Files.write(csv, lines);
    String out = dir.resolve("m").toString();
    ok("train", "--data", csv.toString(), "--label-col", "species", "--standardize", "true",
        "--epochs", "5", "--out", out);
    Path json = dir.resolve("eval.json");
    ok("evaluate", "--model", out, "--data", csv.toString(), "--out", json.toString());
    assertEquals(150, new ObjectMapper().readTree(json.toFile()).get("rows").asLong());
    ok("predict", "--model", out, "--data", csv.toString(), "--out", dir.resolve("p").toString());
    assertEquals(151, readCsvDir(dir.resolve("p")).size(), "header + one line per row");
  }

  @Test
  void optionMistakesAreNamed() throws IOException {
    Path job = dir.resolve("job.properties");
    Files.writeString(job, "data=data-samples/iris.csv\nepoch=3\nout=" + dir.resolve("x") + "\n");
    Run unknown = run("train", "--config", job.toString());
    assertEquals(2, unknown.status);
    assertTrue(unknown.err.contains("epoch") && unknown.err.contains("did you mean epochs"),
        unknown.err);

    Run bad = run("train", "--data", "data-samples/iris.csv", "--out", "x", "--lr", "-0.1");
    assertEquals(2, bad.status);
    assertTrue(bad.err.contains("--lr: expected a number > 0, got '-0.1'"), bad.err);

    Run choice = run("train", "--data", "data-samples/iris.csv", "--out", "x", "--activation", "swish");
    assertEquals(2, choice.status);
    assertTrue(choice.err.contains("swish") && choice.err.contains("leaky_relu"), choice.err);

    Run mismatch = run("train", "--data", "data-samples/iris.csv", "--out", "x", "--task",
        "classification", "--loss", "mse");
    assertEquals(2, mismatch.status);
    assertTrue(mismatch.err.contains("--loss mse does not fit --task classification"), mismatch.err);

    Run noCommand = run("fit");
    assertEquals(2, noCommand.status);
    assertTrue(noCommand.err.contains("got 'fit'"), noCommand.err);

    Run help = ok("train", "--help");
    assertTrue(help.out.contains("--batch-size") && help.out.contains("--early-stopping-patience"));
  }

  @Test
  void featureCountMismatchesAndBadRowsStopBeforeTraining() throws IOException {
    String iris = trainIris(dir, 2);

    Run predict = run("predict", "--model", iris, "--data", "data-samples/digits.libsvm", "--out",
        dir.resolve("p").toString());
    assertEquals(2, predict.status);
    assertTrue(predict.err.contains("digits.libsvm") && predict.err.contains("5"), predict.err);

    Run init = run("train", "--data", "data-samples/digits.csv", "--out", dir.resolve("d").toString(),
        "--hidden", "16", "--init-weights", iris + "/model.safetensors");
    assertEquals(2, init.status);
    assertTrue(init.err.contains("the file has 4 input features, the data 64"), init.err);

    Path bad = dir.resolve("bad.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data-samples/iris.csv")));
    lines.set(77, lines.get(77).replaceFirst(",[^,]*$", ",abc"));
    Files.write(bad, lines);
    Run badRow = run("train", "--data", bad.toString(), "--out", dir.resolve("b").toString());
    assertEquals(2, badRow.status);
    assertTrue(badRow.err.contains("bad.csv") && badRow.err.contains("line 78")
        && badRow.err.contains("'abc'"), badRow.err);
    assertTrue(!Files.exists(dir.resolve("b").resolve("model.safetensors")));

    Run skipped = ok("train", "--data", bad.toString(), "--out", dir.resolve("s").toString(),
        "--on-invalid-row", "skip", "--epochs", "1");
    assertTrue(skipped.out.contains("skipped 1 invalid rows"), skipped.out);
  }

  /**
   * A run that diverges exits 1 and leaves the good model in place: a NaN (SGD at lr 1e30) and,
   * issue 18 case 8, a loss that stays finite but explodes (lr 1e6 on unscaled iris: ~10^21).
   */
  @ParameterizedTest
  @CsvSource({"1e30, training diverged at epoch 1 step", "1e6, training diverged in epoch 1:"})
  void divergingRunKeepsTheLastGoodModel(String lr, String message) throws IOException {
    String out = trainIris(dir, 2);
    byte[] good = Files.readAllBytes(Path.of(out, "model.safetensors"));
    Run diverged = run("train", "--config", "jobs/iris.properties", "--optimizer", "sgd",
        "--lr", lr, "--standardize", "false", "--epochs", "5", "--out", out);
    assertEquals(1, diverged.status, diverged.out + diverged.err);
    assertTrue(diverged.err.contains(message), diverged.err);
    assertArrayEquals(good, Files.readAllBytes(Path.of(out, "model.safetensors")),
        "the good model is not replaced");
  }

  /** Issue 18, case 5: exit 2 naming the file, no Spark stack trace. */
  @Test
  void aTruncatedGzipFileIsBadInput() throws IOException {
    byte[] gz = Files.readAllBytes(Path.of("data-samples/mnist10k.csv.gz"));
    Path cut = dir.resolve("cut.csv.gz");
    Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 3));
    Run r = run("train", "--data", cut.toString(), "--epochs", "1", "--out",
        dir.resolve("m").toString());
    assertEquals(2, r.status, r.err);
    assertTrue(r.err.contains("cut.csv.gz") && r.err.contains("truncated or corrupt"), r.err);
    assertTrue(!r.err.contains("\tat ") && r.err.lines().count() < 5, r.err);
  }

  /** Header plus data lines of the part files of a CSV output directory, in part order. */
  static List<String> readCsvDir(Path dir) throws IOException {
    List<Path> parts;
    try (Stream<Path> s = Files.list(dir)) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted()
          .collect(Collectors.toList());
    }
    List<String> lines = new ArrayList<>();
    for (Path p : parts) {
      List<String> part = Files.readAllLines(p);
      if (lines.isEmpty()) {
        lines.addAll(part);
      } else {
        lines.addAll(part.subList(1, part.size()));
      }
    }
    return lines.stream().filter(l -> !l.isEmpty()).collect(Collectors.toList());
  }
}
