package io.sparkmlp.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agreement with scikit-learn on the cases of {@code golden/metrics_cases.json}, written by
 * {@code src/test/python/make_metrics_golden.py}. Each case is checked twice: filled in one pass,
 * and split into uneven partitions (one of them empty) that are serialized and merged, as Spark
 * does. Tolerance: 1e-12 relative to {@code max(1, |expected|)}.
 */
class SklearnGoldenTest {
  private static final double TOL = 1e-12;

  private static JsonNode cases() throws IOException {
    try (InputStream in = SklearnGoldenTest.class.getResourceAsStream(
        "/golden/metrics_cases.json")) {
      assertNotNull(in, "missing golden/metrics_cases.json");
      return new ObjectMapper().readTree(in);
    }
  }

  /** Row boundaries of four partitions of n rows: the second is empty. */
  private static int[] partitionBounds(int n) {
    return new int[] {0, n / 3, n / 3, n / 2 + 1, n};
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  @Test
  void classificationAgreesWithSklearn() throws IOException {
    JsonNode all = cases().get("classification");
    assertEquals(3, all.size());
    for (JsonNode c : all) {
      int k = c.get("num_classes").asInt();
      int n = c.get("y_true").size();
      double[] probs = new double[n * k];
      for (int i = 0; i < n; i++) {
        System.arraycopy(doubles(c.get("proba").get(i)), 0, probs, i * k, k);
      }
      List<ClassificationMetrics> ways = new ArrayList<>();
      ClassificationMetrics onePass = new ClassificationMetrics(k);
      for (int i = 0; i < n; i++) {
        onePass.add(c.get("y_true").get(i).asInt(), probs, i * k);
      }
      ways.add(onePass);
      int[] bounds = partitionBounds(n);
      ClassificationMetrics merged = new ClassificationMetrics(k);
      for (int p = 0; p + 1 < bounds.length; p++) {
        ClassificationMetrics part = new ClassificationMetrics(k);
        for (int i = bounds[p]; i < bounds[p + 1]; i++) {
          part.add(c.get("y_true").get(i).asInt(), probs, i * k);
        }
        merged.merge(Serialization.roundTrip(part));
      }
      ways.add(merged);
      for (ClassificationMetrics m : ways) {
        String name = c.get("name").asText();
        assertEquals(n, m.count(), name);
        assertClose(c.get("accuracy").asDouble(), m.accuracy(), name + " accuracy");
        assertClose(c.get("macro_f1").asDouble(), m.macroF1(), name + " macro_f1");
        assertClose(c.get("log_loss").asDouble(), m.logLoss(), name + " log_loss");
        for (int j = 0; j < k; j++) {
          String cls = name + " class " + j;
          assertClose(c.get("precision").get(j).asDouble(), m.precision(j), cls + " precision");
          assertClose(c.get("recall").get(j).asDouble(), m.recall(j), cls + " recall");
          assertClose(c.get("f1").get(j).asDouble(), m.f1(j), cls + " f1");
          assertEquals(c.get("support").get(j).asLong(), m.support(j), cls + " support");
          long[] row = new long[k];
          for (int p = 0; p < k; p++) {
            row[p] = c.get("confusion_matrix").get(j).get(p).asLong();
          }
          assertArrayEquals(row, m.confusionMatrix()[j], cls + " confusion row");
        }
      }
    }
  }

  @Test
  void regressionAgreesWithSklearn() throws IOException {
    JsonNode all = cases().get("regression");
    assertEquals(3, all.size());
    for (JsonNode c : all) {
      int t = c.get("num_targets").asInt();
      int n = c.get("y_true").size();
      List<RegressionMetrics> ways = new ArrayList<>();
      RegressionMetrics onePass = new RegressionMetrics(t);
      for (int i = 0; i < n; i++) {
        onePass.add(doubles(c.get("y_pred").get(i)), 0, doubles(c.get("y_true").get(i)), 0);
      }
      ways.add(onePass);
      int[] bounds = partitionBounds(n);
      RegressionMetrics merged = new RegressionMetrics(t);
      for (int p = 0; p + 1 < bounds.length; p++) {
        RegressionMetrics part = new RegressionMetrics(t);
        for (int i = bounds[p]; i < bounds[p + 1]; i++) {
          part.add(doubles(c.get("y_pred").get(i)), 0, doubles(c.get("y_true").get(i)), 0);
        }
        merged.merge(Serialization.roundTrip(part));
      }
      ways.add(merged);
      for (RegressionMetrics m : ways) {
        String name = c.get("name").asText();
        assertEquals(n, m.count(), name);
        for (int j = 0; j < t; j++) {
          String target = name + " target " + j;
          assertClose(c.get("mse").get(j).asDouble(), m.mse(j), target + " mse");
          assertClose(c.get("rmse").get(j).asDouble(), m.rmse(j), target + " rmse");
          assertClose(c.get("mae").get(j).asDouble(), m.mae(j), target + " mae");
          assertClose(c.get("r2").get(j).asDouble(), m.r2(j), target + " r2");
        }
        assertClose(c.get("mse_avg").asDouble(), m.mse(), name + " mse");
        assertClose(c.get("rmse_avg").asDouble(), m.rmse(), name + " rmse");
        assertClose(c.get("mae_avg").asDouble(), m.mae(), name + " mae");
        assertClose(c.get("r2_avg").asDouble(), m.r2(), name + " r2");
      }
    }
  }
}
