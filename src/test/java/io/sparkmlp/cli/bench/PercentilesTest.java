package io.sparkmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nearest-rank median and p95, and the mean that shows a tail the median hides. */
class PercentilesTest {
  @Test
  void aLongTailMovesTheMeanNotTheMedian() {
    double[] steps = new double[20];
    java.util.Arrays.fill(steps, 2.0);
    steps[3] = 12.0; // one slow step in twenty
    assertEquals(2.0, Percentiles.median(steps), 0.0);
    assertEquals(2.0, Percentiles.p95(steps), 0.0); // rank ceil(0.95 × 20) = 19 of 20
    assertEquals(2.5, Percentiles.mean(steps), 1e-15);
    steps[7] = 7.0;
    assertEquals(7.0, Percentiles.p95(steps), 0.0);
    assertTrue(Double.isNaN(Percentiles.mean(new double[0])));
    assertTrue(Double.isNaN(Percentiles.median(new double[0])));
  }
}
