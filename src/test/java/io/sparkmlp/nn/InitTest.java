package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InitTest {
  private final MLP mlp = new MLP(300, new int[] {200}, 10, Activation.RELU, Loss.CROSS_ENTROPY);

  @Test
  void pytorchInitDrawsWithinBoundsWithUniformVariance() {
    double[] p = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 42);
    checkUniform(p, mlp.weightOffset(0), 300 * 200, 1 / Math.sqrt(300));
    checkUniform(p, mlp.biasOffset(0), 200, 1 / Math.sqrt(300));
    checkUniform(p, mlp.weightOffset(1), 200 * 10, 1 / Math.sqrt(200));
  }

  @Test
  void kaimingAndXavierBounds() {
    double[] k = mlp.initParameters(WeightInit.KAIMING_UNIFORM, BiasInit.ZEROS, 1);
    checkUniform(k, mlp.weightOffset(0), 300 * 200, Math.sqrt(6.0 / 300));
    for (int j = 0; j < 200; j++) {
      assertEquals(0.0, k[mlp.biasOffset(0) + j]);
    }
    double[] x = mlp.initParameters(WeightInit.XAVIER_UNIFORM, BiasInit.PYTORCH, 1);
    checkUniform(x, mlp.weightOffset(0), 300 * 200, Math.sqrt(6.0 / 500));
    checkUniform(x, mlp.weightOffset(1), 200 * 10, Math.sqrt(6.0 / 210));
  }

  @Test
  void sameSeedSameWeightsDifferentSeedDifferentWeights() {
    double[] a = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 7);
    double[] b = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 7);
    double[] c = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 8);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void layoutFollowsStateDictOrder() {
    assertEquals(0, mlp.weightOffset(0));
    assertEquals(60000, mlp.biasOffset(0));
    assertEquals(60200, mlp.weightOffset(1));
    assertEquals(62200, mlp.biasOffset(1));
    assertEquals(62210, mlp.numParameters());
  }

  @Test
  void constructorNamesTheBadValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MLP(4, new int[] {8, 0}, 3, Activation.RELU, Loss.CROSS_ENTROPY));
    assertTrue(e.getMessage().contains("[8, 0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new MLP(4, new int[] {8}, 1, Activation.RELU, Loss.CROSS_ENTROPY));
    assertTrue(e.getMessage().contains("got 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
    assertTrue(e.getMessage().contains("'swish'") && e.getMessage().contains("leaky_relu"),
        e.getMessage());
  }

  /** All values in (−bound, bound), mean ≈ 0 and variance ≈ bound²/3 (U(−b, b)). */
  private static void checkUniform(double[] p, int offset, int count, double bound) {
    double sum = 0;
    double sumSq = 0;
    double max = 0;
    for (int i = offset; i < offset + count; i++) {
      assertTrue(Math.abs(p[i]) < bound, "value " + p[i] + " outside ±" + bound);
      sum += p[i];
      sumSq += p[i] * p[i];
      max = Math.max(max, Math.abs(p[i]));
    }
    double mean = sum / count;
    double variance = sumSq / count - mean * mean;
    double expected = bound * bound / 3;
    // standard error of the variance of U(−b, b) is b²·√(4/45/n)
    double se = bound * bound * Math.sqrt(4.0 / 45 / count);
    assertEquals(expected, variance, 5 * se, "variance");
    assertEquals(0, mean, 5 * bound / Math.sqrt(3 * count), "mean");
    assertTrue(max > 0.9 * bound, "values should fill the range, max " + max);
  }
}
