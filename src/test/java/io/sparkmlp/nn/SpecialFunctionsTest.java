package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {
  /** Reference values of erf from high-precision tables (Abramowitz & Stegun, mpmath). */
  @Test
  void erfMatchesReferenceValues() {
    double[][] cases = {
      {0.0, 0.0},
      {1e-10, 1.1283791670955126e-10},
      {0.1, 0.1124629160182849},
      {0.5, 0.5204998778130465},
      {1.0, 0.8427007929497149},
      {1.5, 0.9661051464753108},
      {2.0, 0.9953222650189527},
      {2.4999, 0.9995928300996666},
      {2.5, 0.9995930479825550},
      {3.0, 0.9999779095030014},
      {4.0, 0.9999999845827421},
      {6.0, 1.0},
      {30.0, 1.0},
    };
    for (double[] c : cases) {
      assertEquals(c[1], SpecialFunctions.erf(c[0]), 1e-15 * Math.max(1, Math.abs(c[1])) + 1e-25,
          "erf(" + c[0] + ")");
      assertEquals(-c[1], SpecialFunctions.erf(-c[0]), 1e-15 + 1e-25, "erf is odd at " + c[0]);
    }
    assertTrue(Double.isNaN(SpecialFunctions.erf(Double.NaN)));
  }

  @Test
  void erfIsMonotoneAcrossTheSeriesAndFractionBranches() {
    double previous = -1;
    for (double x = -7; x <= 7; x += 1e-3) {
      double v = SpecialFunctions.erf(x);
      assertTrue(v >= previous, "erf decreases at " + x);
      previous = v;
    }
  }
}
