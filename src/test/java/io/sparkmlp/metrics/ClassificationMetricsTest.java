package io.sparkmlp.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  /**
   * Six rows of three classes, stored after one padding value (so offsets are 1, 4, 7, ...).
   *
   * <pre>
   * row  true  probabilities     predicted
   *  0    0    0.7  0.2  0.1     0
   *  1    0    0.3  0.4  0.3     1
   *  2    1    0.1  0.8  0.1     1
   *  3    1    0.5  0.5  0.0     0   (tie: the first maximum wins)
   *  4    2    0.2  0.2  0.6     2
   *  5    2    0.1  0.6  0.3     1
   * </pre>
   */
  private static final int[] TRUE = {0, 0, 1, 1, 2, 2};
  private static final double[] PROBS = {-1,
      0.7, 0.2, 0.1,
      0.3, 0.4, 0.3,
      0.1, 0.8, 0.1,
      0.5, 0.5, 0.0,
      0.2, 0.2, 0.6,
      0.1, 0.6, 0.3};
  private static final double[] LABELS = {0, 1, 7.5};

  private static ClassificationMetrics handWorked(int from, int to) {
    ClassificationMetrics m = new ClassificationMetrics(3);
    for (int i = from; i < to; i++) {
      m.add(TRUE[i], PROBS, 1 + 3 * i);
    }
    return m;
  }

  @Test
  void handWorkedThreeClassExample() {
    ClassificationMetrics m = handWorked(0, 6);
    // Rows are true classes, columns predicted: C = [[1,1,0],[1,1,0],[0,1,1]].
    assertArrayEquals(new long[][] {{1, 1, 0}, {1, 1, 0}, {0, 1, 1}}, m.confusionMatrix());
    assertEquals(6, m.count());
    assertEquals(0.5, m.accuracy(), 0, "trace 3 / 6 rows");
    // Predicted-column sums 2, 3, 1; supports (row sums) 2, 2, 2.
    assertEquals(1.0 / 2, m.precision(0), 0);
    assertEquals(1.0 / 3, m.precision(1), 0);
    assertEquals(1.0, m.precision(2), 0);
    assertEquals(0.5, m.recall(0), 0);
    assertEquals(0.5, m.recall(1), 0);
    assertEquals(0.5, m.recall(2), 0);
    assertEquals(2, m.support(1));
    // f1 = 2tp / (support + predicted): 2/4, 2/5, 2/3.
    assertEquals(0.5, m.f1(0), 0);
    assertEquals(0.4, m.f1(1), 0);
    assertEquals(2.0 / 3, m.f1(2), 0);
    // (1/2 + 2/5 + 2/3) / 3 = 47/90.
    assertEquals(47.0 / 90, m.macroF1(), 1e-15);
    assertEquals((0.5 + 1.0 / 3 + 1.0) / 3, m.macroPrecision(), 1e-15);
    assertEquals(0.5, m.macroRecall(), 1e-15);
    // −(ln .7 + ln .3 + ln .8 + ln .5 + ln .6 + ln .3) / 6 = −ln(0.01512) / 6.
    assertEquals(0.6986228180384583, m.logLoss(), 1e-15);
  }

  @Test
  void zeroProbabilityOfTheTrueClassIsClippedAt1e15() {
    ClassificationMetrics m = new ClassificationMetrics(2);
    m.add(0, new double[] {0.0, 1.0}, 0);
    m.add(1, new double[] {0.0, 1.0}, 0);
    // (−ln 1e-15 + −ln 1) / 2 = 34.538776394910684 / 2.
    assertEquals(34.538776394910684 / 2, m.logLoss(), 1e-14);
  }

  @Test
  void classesNeverSeenScoreZeroNotNaN() {
    ClassificationMetrics m = new ClassificationMetrics(3);
    m.add(0, new double[] {0.9, 0.1, 0.0}, 0);
    m.add(1, new double[] {0.8, 0.2, 0.0}, 0);
    // C = [[1,0,0],[1,0,0],[0,0,0]]: class 1 never predicted, class 2 never true nor predicted.
    assertEquals(0.0, m.precision(1), 0);
    assertEquals(0.0, m.recall(1), 0);
    assertEquals(0.0, m.f1(2), 0);
    // f1(0) = 2/(1 + 2) = 2/3; macro = (2/3 + 0 + 0) / 3 = 2/9.
    assertEquals(2.0 / 9, m.macroF1(), 1e-15);
  }

  @Test
  void emptyMetricsHaveNaNAveragesAndNullJson() {
    ClassificationMetrics m = new ClassificationMetrics(2);
    assertTrue(Double.isNaN(m.accuracy()));
    assertTrue(Double.isNaN(m.logLoss()));
    assertEquals(0.0, m.macroF1(), 0);
    ObjectNode json = m.toJson(new double[] {0, 1});
    assertTrue(json.get("accuracy").isNull());
    assertTrue(json.get("log_loss").isNull());
    assertEquals(0, json.get("rows").asLong());
  }

  @Test
  void mergeInAnyOrderGivesTheSameCountsAsOnePass() {
    ClassificationMetrics onePass = handWorked(0, 6);
    ClassificationMetrics forward = handWorked(0, 2).merge(handWorked(2, 2))
        .merge(handWorked(2, 5)).merge(handWorked(5, 6));
    ClassificationMetrics backward = handWorked(5, 6).merge(handWorked(2, 5))
        .merge(handWorked(0, 2));
    for (ClassificationMetrics m : new ClassificationMetrics[] {forward, backward}) {
      assertArrayEquals(onePass.confusionMatrix(), m.confusionMatrix());
      assertEquals(6, m.count());
      assertEquals(onePass.macroF1(), m.macroF1(), 0);
      assertEquals(onePass.logLoss(), m.logLoss(), 1e-15);
    }
  }

  @Test
  void survivesJavaSerialization() {
    ClassificationMetrics copy = Serialization.roundTrip(handWorked(0, 4));
    copy.merge(Serialization.roundTrip(handWorked(4, 6)));
    assertArrayEquals(handWorked(0, 6).confusionMatrix(), copy.confusionMatrix());
    assertEquals(0.6986228180384583, copy.logLoss(), 1e-15);
  }

  @Test
  void jsonHasTheDocumentedFields() {
    JsonNode json = handWorked(0, 6).toJson(LABELS);
    assertEquals(List.of("rows", "accuracy", "macro_f1", "log_loss", "per_class",
        "confusion_matrix"), json.properties().stream().map(Map.Entry::getKey).toList());
    assertEquals(6, json.get("rows").asLong());
    assertEquals(0.5, json.get("accuracy").asDouble(), 0);
    assertEquals(47.0 / 90, json.get("macro_f1").asDouble(), 1e-15);
    assertEquals(0.6986228180384583, json.get("log_loss").asDouble(), 1e-15);
    assertEquals("{\"label\":1,\"precision\":0.3333333333333333,\"recall\":0.5,\"f1\":0.4,"
        + "\"support\":2}", json.get("per_class").get(1).toString());
    assertEquals(7.5, json.get("per_class").get(2).get("label").asDouble(), 0);
    assertEquals("[[1,1,0],[1,1,0],[0,1,1]]", json.get("confusion_matrix").toString());
  }

  @Test
  void textReportAndConfusionMatrix() {
    String expected = String.join("\n",
        "rows 6, accuracy 0.5000, macro F1 0.5222, log loss 0.698623",
        "",
        "    class  precision     recall         f1    support",
        "        0     0.5000     0.5000     0.5000          2",
        "        1     0.3333     0.5000     0.4000          2",
        "      7.5     1.0000     0.5000     0.6667          2",
        "macro avg     0.6111     0.5000     0.5222          6",
        "",
        "confusion matrix (rows: true class, columns: predicted class)",
        "true\\pred   0   1 7.5",
        "        0   1   1   0",
        "        1   1   1   0",
        "      7.5   0   1   1",
        "");
    assertEquals(expected, handWorked(0, 6).toText(LABELS).replace("\r\n", "\n"));
  }

  @Test
  void invalidUseIsRejectedWithTheBadValue() {
    assertEquals("numClasses must be >= 2, got 1",
        assertThrows(IllegalArgumentException.class, () -> new ClassificationMetrics(1))
            .getMessage());
    ClassificationMetrics m = new ClassificationMetrics(3);
    assertEquals("true class 3 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
        () -> m.add(3, new double[3], 0)).getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> m.add(0, new double[5], 3));
    assertThrows(IndexOutOfBoundsException.class, () -> m.precision(3));
    assertEquals("cannot merge metrics of 2 classes into metrics of 3 classes",
        assertThrows(IllegalArgumentException.class,
            () -> m.merge(new ClassificationMetrics(2))).getMessage());
    assertEquals("got 2 class labels for 3 classes", assertThrows(IllegalArgumentException.class,
        () -> m.toJson(new double[2])).getMessage());
  }
}
