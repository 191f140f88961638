package io.sparkmlp.train.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reproducible sum: whatever the grouping (which vectors are pre-summed together), the
 * order, and whether partial sums cross an encoding, every element comes out as the exact sum
 * rounded to nearest, checked against BigDecimal arithmetic.
 */
class ExactVectorSumTest {
  private static final double[] ADVERSARIAL = {
      1e16, 1.0, -1e16, 0x1p-1074, -0x1p-1074, 0x1p-1074, 3 * 0x1p-1074, Double.MIN_NORMAL,
      -Double.MIN_NORMAL / 3, 1e300, -1e300, 1e-300, 0.1, 0.2, 0.3, -0.6, 0x1p53, 1.0, 1.0,
      -0x1p53, 0x1.fffffffffffffp1000, -0x1.fffffffffffffp1000, 0x1p-1000, 1e-20, -1e-20,
      123456789.123, -123456789.123, 2.0 / 3, -1.0 / 3, -1.0 / 3, 0.0, -0.0, 7e-310, -7e-310,
      Math.nextUp(1.0), -1.0, 0x1p-60, 0x1p60, -0x1p60, 0x1p-120};

  /** The exact sum of {@code values}, and a check that {@code r} is it rounded to nearest. */
  private static void assertCorrectlyRounded(double r, List<Double> values, String what) {
    BigDecimal exact = BigDecimal.ZERO;
    for (double v : values) {
      exact = exact.add(new BigDecimal(v));
    }
    BigDecimal err = exact.subtract(new BigDecimal(r)).abs();
    BigDecimal halfUlp = new BigDecimal(Math.ulp(r)).divide(BigDecimal.valueOf(2));
    int c = err.compareTo(halfUlp);
    assertTrue(c <= 0, what + ": " + r + " is not the exact sum " + exact.round(MathContext.DECIMAL64)
        + " rounded to nearest");
    if (c == 0) { // a tie: round half to even
      assertEquals(0, Double.doubleToRawLongBits(r) & 1, what + ": tie not rounded to even");
    }
  }

  @Test
  void adversarialValuesGiveTheSameBitsInEveryGroupingAndOrder() {
    Random rnd = new Random(7);
    int n = 3; // three elements, each a different shuffle of the same multiset
    List<List<Double>> columns = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      List<Double> col = new ArrayList<>();
      for (double v : ADVERSARIAL) {
        col.add(v);
      }
      columns.add(col);
    }
    double[] reference = null;
    for (int trial = 0; trial < 300; trial++) {
      for (List<Double> col : columns) {
        Collections.shuffle(col, rnd);
      }
      double[] got = sumInRandomGroups(columns, rnd, false, trial % 2 == 0);
      if (reference == null) {
        reference = got;
        for (int j = 0; j < n; j++) {
          assertCorrectlyRounded(got[j], columns.get(j), "element " + j);
        }
      }
      for (int j = 0; j < n; j++) {
        assertEquals(Double.doubleToRawLongBits(reference[j]), Double.doubleToRawLongBits(got[j]),
            "trial " + trial + " element " + j);
      }
    }
  }

  @Test
  void manyTermsOfMixedMagnitudesAreExactInAnyGrouping() {
    Random rnd = new Random(11);
    int n = 64;
    int terms = 2000;
    List<List<Double>> columns = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      List<Double> col = new ArrayList<>();
      for (int t = 0; t < terms; t++) {
        double v = (rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(200) - 100);
        col.add(j % 8 == 0 && t % 2 == 1 ? -col.get(t - 1) : v); // some elements cancel to 0
      }
      columns.add(col);
    }
    double[] a = sumInRandomGroups(columns, rnd, false, true);
    for (List<Double> col : columns) {
      Collections.shuffle(col, rnd);
    }
    double[] b = sumInRandomGroups(columns, rnd, false, false);
    for (int j = 0; j < n; j++) {
      assertCorrectlyRounded(a[j], columns.get(j), "element " + j);
      assertEquals(Double.doubleToRawLongBits(a[j]), Double.doubleToRawLongBits(b[j]));
      if (j % 8 == 0) {
        assertEquals(0.0, a[j]);
      }
    }
  }

  @Test
  void float32VectorsSumExactlyInEveryGrouping() {
    Random rnd = new Random(5);
    int n = 200;
    int terms = 40;
    List<List<Double>> columns = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      List<Double> col = new ArrayList<>();
      for (int t = 0; t < terms; t++) {
        float v = (float) ((rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(120) - 60));
        if (j % 10 == 3) {
          v = t % 2 == 0 ? Float.MIN_VALUE * (t + 1) : -Float.MAX_VALUE / (t + 1); // extremes
        }
        col.add((double) v);
      }
      columns.add(col);
    }
    double[] ref = sumInRandomGroups(columns, rnd, true, true);
    for (int trial = 0; trial < 20; trial++) {
      for (List<Double> col : columns) {
        Collections.shuffle(col, rnd);
      }
      double[] got = sumInRandomGroups(columns, rnd, true, trial % 2 == 1);
      for (int j = 0; j < n; j++) {
        assertEquals(Double.doubleToRawLongBits(ref[j]), Double.doubleToRawLongBits(got[j]));
      }
    }
    for (int j = 0; j < n; j++) {
      assertCorrectlyRounded(ref[j], columns.get(j), "element " + j);
    }
  }

  @Test
  void oneFloatVectorTravelsAsFloat32AndComesBackExact() {
    float[] g = {1.5f, -0.1f, Float.MIN_VALUE, 3e38f, 0f};
    ExactVectorSum s = new ExactVectorSum(g.length);
    s.add(g);
    ByteBuffer buf = ByteBuffer.allocate(s.maxEncodedBytes());
    s.encode(buf);
    assertEquals(ExactVectorSum.HEADER_BYTES + 4 * g.length + 4, buf.position());
    buf.flip();
    ExactVectorSum t = new ExactVectorSum(g.length);
    t.addEncoded(buf);
    assertEquals(1, t.terms());
    double[] out = new double[g.length];
    t.roundTo(out);
    for (int i = 0; i < g.length; i++) {
      assertEquals((double) g[i], out[i]);
    }
  }

  @Test
  void nonFiniteInputsMakeTheElementNonFinite() {
    ExactVectorSum s = new ExactVectorSum(3);
    s.add(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE});
    s.add(new double[] {1.0, 1.0, Double.MAX_VALUE});
    double[] out = new double[3];
    s.roundTo(out);
    assertTrue(Double.isNaN(out[0]));
    assertEquals(Double.POSITIVE_INFINITY, out[1]);
    assertEquals(Double.POSITIVE_INFINITY, out[2]);
  }

  @Test
  void badEncodingsAreRefused() {
    ExactVectorSum s = new ExactVectorSum(4);
    ByteBuffer junk = ByteBuffer.allocate(64);
    assertThrows(IllegalArgumentException.class, () -> s.addEncoded(junk));
    ExactVectorSum big = new ExactVectorSum(8);
    big.add(new double[8]);
    ByteBuffer b = ByteBuffer.allocate(big.maxEncodedBytes());
    big.encode(b);
    b.flip();
    assertThrows(IllegalArgumentException.class, () -> s.addEncoded(b));
    assertThrows(IllegalArgumentException.class, () -> s.add(new double[3]));
  }

  /**
   * Sums each column's values: the values of term t of all columns form one vector; vectors are
   * dealt into a random number of groups, each group summed in its own sum, some groups then
   * encoded and decoded, and the groups merged in random order.
   */
  private static double[] sumInRandomGroups(List<List<Double>> columns, Random rnd,
      boolean asFloat, boolean viaEncoding) {
    int n = columns.size();
    int terms = columns.get(0).size();
    int groups = 1 + rnd.nextInt(Math.min(terms, 9));
    List<ExactVectorSum> sums = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      sums.add(new ExactVectorSum(n));
    }
    for (int t = 0; t < terms; t++) {
      ExactVectorSum target = sums.get(rnd.nextInt(groups));
      if (asFloat) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
          v[j] = (float) (double) columns.get(j).get(t);
        }
        target.add(v);
      } else {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
          v[j] = columns.get(j).get(t);
        }
        target.add(v);
      }
    }
    Collections.shuffle(sums, rnd);
    ExactVectorSum total = new ExactVectorSum(n);
    for (ExactVectorSum s : sums) {
      if (viaEncoding && rnd.nextBoolean()) {
        ByteBuffer buf = ByteBuffer.allocate(s.maxEncodedBytes());
        s.encode(buf);
        buf.flip();
        total.addEncoded(buf);
        assertEquals(0, buf.remaining());
      } else {
        total.addAll(s);
      }
    }
    assertEquals(terms, total.terms());
    double[] out = new double[n];
    total.roundTo(out);
    return out;
  }
}
