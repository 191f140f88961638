package io.sparkmlp.train.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops against the scalar reference: the same bits in hi, lo, the reported
 * errors and the mean, on lengths that leave tails, with rounding errors, cancellation, zeros and
 * non-finite values.
 */
class ExactAddTest {
  private static final ExactAdd VECTOR = new VectorExactAdd();
  private static final ExactAdd SCALAR = new ScalarExactAdd();

  private static double value(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return 0.0;
      case 1:
        return r.nextGaussian() * Math.scalb(1.0, r.nextInt(300) - 150);
      case 2:
        return r.nextInt(5) - 2;
      case 3:
        return r.nextInt(40) == 0 ? Double.POSITIVE_INFINITY : 1e308 * r.nextGaussian();
      default:
        return (float) r.nextGaussian();
    }
  }

  @Test
  void vectorAndScalarLoopsGiveTheSameBits() {
    assertTrue(ExactAdd.INSTANCE instanceof VectorExactAdd, "the tests run with the Vector API");
    Random r = new Random(17);
    for (int trial = 0; trial < 200; trial++) {
      int n = r.nextInt(70);
      int off = r.nextInt(5);
      double[] hiV = new double[n + off];
      double[] loV = new double[n + off];
      float[] xf = new float[n + 3];
      double[] xd = new double[n + 3];
      for (int i = 0; i < hiV.length; i++) {
        hiV[i] = value(r);
        loV[i] = Math.ulp(hiV[i]) * r.nextGaussian() * 0.25;
      }
      for (int i = 0; i < xd.length; i++) {
        xd[i] = value(r);
        xf[i] = (float) value(r);
      }
      double[] hiS = hiV.clone();
      double[] loS = loV.clone();
      List<String> errV = new ArrayList<>();
      List<String> errS = new ArrayList<>();
      int from = r.nextInt(4);
      VECTOR.addFloats(hiV, off, xf, from, n, (i, e) -> errV.add(i + ":" + e));
      SCALAR.addFloats(hiS, off, xf, from, n, (i, e) -> errS.add(i + ":" + e));
      VECTOR.addDoubles(hiV, loV, off, xd, from, n, (i, e) -> errV.add(i + ":" + e));
      SCALAR.addDoubles(hiS, loS, off, xd, from, n, (i, e) -> errS.add(i + ":" + e));
      assertArrayEquals(hiS, hiV);
      assertArrayEquals(loS, loV);
      assertEquals(errS, errV);
      double norm = 1 + r.nextInt(100);
      double[] outV = new double[n + 2];
      double[] outS = new double[n + 2];
      boolean lo = r.nextBoolean();
      assertEquals(SCALAR.mean(hiS, lo ? loS : null, off, n, outS, 2, norm),
          VECTOR.mean(hiV, lo ? loV : null, off, n, outV, 2, norm));
      assertArrayEquals(outS, outV);
    }
  }
}
