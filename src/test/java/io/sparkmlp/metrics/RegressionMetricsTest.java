package io.sparkmlp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
  /**
   * Four rows, two targets; predictions stored row-major, targets row-major after two padding
   * values (offsets 2, 4, 6, 8).
   *
   * <pre>
   * target 0: y = 1, 2, 3, 4      ŷ = 1.5, 2, 2, 5    e = −0.5, 0, 1, −1
   *           SSE = 2.25, SAE = 2.5, ȳ = 2.5, SST = 2.25 + .25 + .25 + 2.25 = 5
   *           mse = 0.5625, rmse = 0.75, mae = 0.625, r2 = 1 − 2.25/5 = 0.55
   * target 1: y = 10, 10, 10, 10  ŷ = 10, 10, 10, 12   e = 0, 0, 0, −2
   *           SSE = 4, SAE = 2, SST = 0 → r2 = 0 (scikit-learn's rule)
   *           mse = 1, rmse = 1, mae = 0.5
   * averages: mse 0.78125, rmse (0.75 + 1)/2 = 0.875 (√0.78125 would be 0.8839), mae 0.5625,
   *           r2 0.275
   * </pre>
   */
  private static final double[] PRED = {1.5, 10, 2, 10, 2, 10, 5, 12};
  private static final double[] TARGET = {-9, -9, 1, 10, 2, 10, 3, 10, 4, 10};
  private static final String[] NAMES = {"price", "y1"};

  private static RegressionMetrics handWorked(int from, int to) {
    RegressionMetrics m = new RegressionMetrics(2);
    for (int i = from; i < to; i++) {
      m.add(PRED, 2 * i, TARGET, 2 + 2 * i);
    }
    return m;
  }

  private static void assertHandWorked(RegressionMetrics m) {
    assertEquals(4, m.count());
    assertEquals(0.5625, m.mse(0), 0);
    assertEquals(0.75, m.rmse(0), 0);
    assertEquals(0.625, m.mae(0), 0);
    assertEquals(0.55, m.r2(0), 1e-15);
    assertEquals(1.0, m.mse(1), 0);
    assertEquals(0.5, m.mae(1), 0);
    assertEquals(0.0, m.r2(1), 0);
    assertEquals(0.78125, m.mse(), 0);
    assertEquals(0.875, m.rmse(), 0);
    assertEquals(0.5625, m.mae(), 0);
    assertEquals(0.275, m.r2(), 1e-15);
  }

  @Test
  void handWorkedTwoTargetExample() {
    assertHandWorked(handWorked(0, 4));
  }

  @Test
  void mergesOfAnySplitAgreeWithOnePass() {
    assertHandWorked(handWorked(0, 1).merge(handWorked(1, 3)).merge(handWorked(3, 4)));
    assertHandWorked(new RegressionMetrics(2).merge(handWorked(3, 4)).merge(handWorked(1, 1))
        .merge(handWorked(0, 3)));
    assertHandWorked(Serialization.roundTrip(handWorked(0, 2))
        .merge(Serialization.roundTrip(handWorked(2, 4))));
  }

  @Test
  void largeMeanSmallSpreadKeepsItsDigits() {
    // y = 1e9 + (1, 2, 3, 4): Σy² ≈ 4e18 has an ulp of 512, so Σy² − (Σy)²/n would be noise.
    // SST = 5 and SSE = 0.25 + 0 + 0.25 + 0 = 0.5 give r2 = 0.9.
    RegressionMetrics m = new RegressionMetrics(1);
    double[] offsets = {1, 2, 3, 4};
    double[] errors = {0.5, 0, -0.5, 0};
    for (int i = 0; i < 4; i++) {
      m.add(new double[] {1e9 + offsets[i] + errors[i]}, 0, new double[] {1e9 + offsets[i]}, 0);
    }
    assertEquals(0.9, m.r2(0), 1e-15);
    RegressionMetrics merged = new RegressionMetrics(1);
    for (int i = 0; i < 4; i++) {
      RegressionMetrics one = new RegressionMetrics(1);
      one.add(new double[] {1e9 + offsets[i] + errors[i]}, 0, new double[] {1e9 + offsets[i]}, 0);
      merged.merge(one);
    }
    assertEquals(0.9, merged.r2(0), 1e-15);
  }

  @Test
  void exactPredictionsScoreOneAndTooFewRowsScoreNaN() {
    RegressionMetrics m = new RegressionMetrics(2);
    m.add(new double[] {3, 7}, 0, new double[] {3, 7}, 0);
    assertTrue(Double.isNaN(m.r2(0)), "one row: R² undefined, as scikit-learn");
    m.add(new double[] {4, 7}, 0, new double[] {4, 7}, 0);
    assertEquals(1.0, m.r2(0), 0);
    assertEquals(1.0, m.r2(1), 0, "constant target predicted exactly");
    assertEquals(0.0, m.mse(), 0);
  }

  @Test
  void emptyMetricsAreNaNAndNullInJson() {
    RegressionMetrics m = new RegressionMetrics(1);
    assertTrue(Double.isNaN(m.mse()));
    assertTrue(Double.isNaN(m.r2()));
    JsonNode json = m.toJson(new String[] {"y"});
    assertTrue(json.get("mse").isNull());
    assertTrue(json.get("per_target").get(0).get("r2").isNull());
  }

  @Test
  void jsonHasTheDocumentedFields() {
    JsonNode json = handWorked(0, 4).toJson(NAMES);
    assertEquals("{\"rows\":4,\"mse\":0.78125,\"rmse\":0.875,\"mae\":0.5625,\"r2\":"
        + json.get("r2").asDouble() + ",\"per_target\":[{\"name\":\"price\",\"mse\":0.5625,"
        + "\"rmse\":0.75,\"mae\":0.625,\"r2\":" + json.get("per_target").get(0).get("r2")
        + "},{\"name\":\"y1\",\"mse\":1.0,\"rmse\":1.0,\"mae\":0.5,\"r2\":0.0}]}",
        json.toString());
    assertEquals(0.275, json.get("r2").asDouble(), 1e-15);
  }

  @Test
  void textTable() {
    String expected = String.join("\n",
        "rows 4",
        "",
        "target           mse         rmse          mae           r2",
        "price       0.562500     0.750000     0.625000     0.550000",
        "y1           1.00000      1.00000     0.500000      0.00000",
        "average     0.781250     0.875000     0.562500     0.275000",
        "");
    assertEquals(expected, handWorked(0, 4).toText(NAMES).replace("\r\n", "\n"));
  }

  @Test
  void invalidUseIsRejectedWithTheBadValue() {
    assertEquals("numTargets must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new RegressionMetrics(0)).getMessage());
    RegressionMetrics m = new RegressionMetrics(2);
    assertThrows(IndexOutOfBoundsException.class, () -> m.add(new double[2], 1, new double[2], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> m.add(new double[2], 0, new double[3], 2));
    assertThrows(IndexOutOfBoundsException.class, () -> m.mse(2));
    assertEquals("cannot merge metrics of 1 targets into metrics of 2 targets",
        assertThrows(IllegalArgumentException.class, () -> m.merge(new RegressionMetrics(1)))
            .getMessage());
    assertEquals("got 1 target names for 2 targets", assertThrows(
        IllegalArgumentException.class, () -> m.toText(new String[] {"y"})).getMessage());
  }
}
