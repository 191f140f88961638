package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The element-wise passes on the Vector API give the bits of the plain loops that define them
 * (NaN, ±0, infinities, subnormals and tails shorter than a vector included), and the fused
 * derivative-and-column-sum pass gives the bits of the two passes one after the other.
 */
class LanePassesTest {
  private static final float[] ODD32 = {Float.NaN, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
      -Float.MAX_VALUE, 1e-40f, -1e-40f};
  private static final double[] ODD64 = {Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
      -Double.MAX_VALUE, 1e-310, -1e-310};

  @Test
  void theTestsRunWithTheVectorPasses() {
    assertTrue(Float32LanePasses.INSTANCE instanceof Float32VectorPasses);
    assertTrue(Float64LanePasses.INSTANCE instanceof Float64VectorPasses);
    assertTrue(Float32LanePasses.INSTANCE.covers(Activation.RELU));
    assertFalse(Float32LanePasses.INSTANCE.covers(Activation.GELU));
    assertFalse(Float32LanePasses.NONE.covers(Activation.RELU));
  }

  @Test
  void float32PassesMatchThePlainLoopsBitForBit() {
    Random r = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + r.nextInt(5);
      int h = 1 + r.nextInt(70);
      int n = rows * h;
      float[] z = new float[n];
      float[] delta = new float[n];
      for (int i = 0; i < n; i++) {
        z[i] = r.nextInt(6) == 0 ? ODD32[r.nextInt(ODD32.length)] : (float) r.nextGaussian();
        delta[i] = r.nextInt(6) == 0 ? ODD32[r.nextInt(ODD32.length)] : (float) r.nextGaussian();
      }
      for (Activation act : Activation.values()) {
        float[] a = new float[n];
        float[] plainA = new float[n];
        Float32ElementWise.activate(act, z, a, n);
        Float32ElementWise.activatePlain(act, z, plainA, 0, n);
        assertArrayEquals(plainA, a, act + " activation, " + n + " values");

        int s0 = r.nextInt(3);
        float[] sum = new float[s0 + h + 1];
        for (int j = 0; j < sum.length; j++) {
          sum[j] = (float) r.nextGaussian();
        }
        float[] d = delta.clone();
        float[] s = sum.clone();
        Float32ElementWise.multiplyDerivativeAddColumnSums(act, d, z, a, rows, h, s, s0);
        float[] plainD = delta.clone();
        float[] plainS = sum.clone();
        for (int i = 0; i < n; i++) {
          plainD[i] *= act.derivative(z[i], a[i]);
        }
        Float32ElementWise.addColumnSums(plainD, rows, h, plainS, s0);
        assertArrayEquals(plainD, d, act + " derivative, " + rows + " x " + h);
        assertArrayEquals(plainS, s, act + " column sums, " + rows + " x " + h);
      }
    }
  }

  @Test
  void float64PassesMatchThePlainLoopsBitForBit() {
    Random r = new Random(12);
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + r.nextInt(5);
      int h = 1 + r.nextInt(40);
      int n = rows * h;
      double[] z = new double[n];
      double[] delta = new double[n];
      for (int i = 0; i < n; i++) {
        z[i] = r.nextInt(6) == 0 ? ODD64[r.nextInt(ODD64.length)] : r.nextGaussian();
        delta[i] = r.nextInt(6) == 0 ? ODD64[r.nextInt(ODD64.length)] : r.nextGaussian();
      }
      for (Activation act : Activation.values()) {
        double[] a = new double[n];
        double[] plainA = new double[n];
        Float64ElementWise.activate(act, z, a, n);
        Float64ElementWise.activatePlain(act, z, plainA, 0, n);
        assertArrayEquals(plainA, a, act + " activation, " + n + " values");

        int s0 = r.nextInt(3);
        double[] sum = new double[s0 + h + 1];
        for (int j = 0; j < sum.length; j++) {
          sum[j] = r.nextGaussian();
        }
        double[] d = delta.clone();
        double[] s = sum.clone();
        Float64ElementWise.multiplyDerivativeAddColumnSums(act, d, z, a, rows, h, s, s0);
        double[] plainD = delta.clone();
        double[] plainS = sum.clone();
        for (int i = 0; i < n; i++) {
          plainD[i] *= act.derivative(z[i], a[i]);
        }
        Float64ElementWise.addColumnSums(plainD, rows, h, plainS, s0);
        assertArrayEquals(plainD, d, act + " derivative, " + rows + " x " + h);
        assertArrayEquals(plainS, s, act + " column sums, " + rows + " x " + h);
      }
    }
  }
}
