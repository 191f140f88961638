package io.sparkmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped job files, run as they are (only {@code --out} redirected), reach the quality the
 * README promises on their held-out split: mnist ≥ 95 % accuracy, digits ≥ 97 %, iris ≥ 93 %,
 * diabetes R² ≥ 0.40.
 */
class ShippedJobsTest {
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    SparkTestSession.get();
  }

  @ParameterizedTest(name = "{0}: {1} >= {2}")
  @CsvSource({
    "mnist, val_accuracy, 0.95",
    "digits, val_accuracy, 0.97",
    "iris, val_accuracy, 0.93",
    "diabetes, val_r2, 0.40",
  })
  void jobReachesItsQuality(String job, String metric, double threshold) throws IOException {
    Path out = dir.resolve(job);
    MainTest.ok("train", "--config", "jobs/" + job + ".properties", "--out", out.toString(),
        "--quiet");
    List<String> epochs = Files.readAllLines(out.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(epochs.get(epochs.size() - 1));
    double value = last.get(metric).asDouble();
    System.out.printf("shipped job %s: %s = %.4f after %d epochs%n", job, metric, value,
        epochs.size());
    assertTrue(value >= threshold, job + ": " + metric + " " + value + " < " + threshold);
    assertEquals(true, Files.exists(out.resolve("model.safetensors")));
  }
}
