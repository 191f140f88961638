package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences, {@code (L(θ + h) − L(θ − h)) / 2h}, against the analytic summed
 * gradient of {@link Float64Kernel}, for every activation × loss and several shapes, including a
 * batch of one row and a layer of width one.
 */
class GradientCheckTest {
  private static final double H = 1e-6;

  static Stream<Arguments> cases() {
    int[][] shapes = {
      // rows, inputs, hidden widths..., outputs
      {1, 3, 4, 2},
      {5, 4, 1, 3},
      {7, 6, 5, 4, 3},
      {3, 2, 2},
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (Activation act : Activation.values()) {
      for (Loss loss : Loss.values()) {
        for (int[] s : shapes) {
          b.add(Arguments.of(act, loss, s));
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1} rows/sizes {2}")
  @MethodSource("cases")
  void analyticGradientMatchesCentralDifferences(Activation act, Loss loss, int[] shape) {
    int rows = shape[0];
    int nIn = shape[1];
    int nOut = shape[shape.length - 1];
    if (loss == Loss.CROSS_ENTROPY && nOut < 2) {
      nOut = 2;
    }
    int[] hidden = java.util.Arrays.copyOfRange(shape, 2, shape.length - 1);
    MLP mlp = new MLP(nIn, hidden, nOut, act, loss);
    SplittableRandom rng = new SplittableRandom(act.ordinal() * 31L + loss.ordinal() * 7L + rows);
    double[] params = mlp.initParameters(WeightInit.XAVIER_UNIFORM, BiasInit.PYTORCH, rng.nextLong());
    double[] x = gaussian(rng, rows * nIn);
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rng.nextInt(nOut);
    }
    double[] targets = gaussian(rng, rows * nOut);
    int[] lab = loss == Loss.CROSS_ENTROPY ? labels : null;
    double[] tgt = loss == Loss.MSE ? targets : null;

    // chunk of 2 rows: exercises the chunked accumulation as well
    Float64Kernel kernel = new Float64Kernel(mlp, 2);
    double[] grad = new double[mlp.numParameters()];
    kernel.forwardBackward(params, x, 0, rows, lab, tgt, grad);

    double[] probe = params.clone();
    for (int i = 0; i < params.length; i++) {
      probe[i] = params[i] + H;
      double plus = kernel.forwardBackward(probe, x, 0, rows, lab, tgt, new double[grad.length]);
      probe[i] = params[i] - H;
      double minus = kernel.forwardBackward(probe, x, 0, rows, lab, tgt, new double[grad.length]);
      probe[i] = params[i];
      double numeric = (plus - minus) / (2 * H);
      assertEquals(numeric, grad[i], 1e-6 * Math.max(1.0, Math.abs(numeric)),
          "parameter " + i + " of " + mlp);
    }
  }

  static double[] gaussian(SplittableRandom rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // Box–Muller
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      v[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    return v;
  }
}
