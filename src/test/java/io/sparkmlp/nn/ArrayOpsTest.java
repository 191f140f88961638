package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API conversions give the plain loops' bits, tails and odd values included. */
class ArrayOpsTest {
  private static final ArrayOps SCALAR = new ScalarArrayOps();

  @Test
  void vectorAndScalarConversionsAgreeBitForBit() {
    assertTrue(ArrayOps.INSTANCE instanceof VectorArrayOps, "the tests run with the Vector API");
    ArrayOps vector = ArrayOps.INSTANCE;
    Random r = new Random(3);
    double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, 1e300, -1e-300,
        Float.MAX_VALUE * 1.0000001, 0x1.000001p0, 0x1.0000018p0};
    for (int trial = 0; trial < 100; trial++) {
      int n = r.nextInt(60);
      int from = r.nextInt(4);
      double[] v = new double[n + from + 2];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextInt(5) == 0 ? odd[r.nextInt(odd.length)] : r.nextGaussian() * 1e5;
      }
      double[] a = v.clone();
      double[] b = v.clone();
      SCALAR.roundToFloat(a, from, from + n);
      vector.roundToFloat(b, from, from + n);
      assertArrayEquals(a, b);
      float[] fa = new float[n + 3];
      float[] fb = new float[n + 3];
      SCALAR.toFloats(v, from, fa, 3, n);
      vector.toFloats(v, from, fb, 3, n);
      assertArrayEquals(fa, fb);
      ByteBuffer ba = ByteBuffer.allocate(4 * n + 5).position(5);
      ByteBuffer bb = ByteBuffer.allocateDirect(4 * n + 5).position(5);
      SCALAR.putFloats(v, from, n, ba);
      vector.putFloats(v, from, n, bb);
      assertEquals(ba.position(), bb.position());
      for (int i = 5; i < ba.position(); i++) {
        assertEquals(ba.get(i), bb.get(i), "byte " + i);
      }
    }
  }
}
