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

  /**
   * The same check for rows with sample weights (one of them 0, the others in [0, 3)), through
   * the {@link Kernel} interface in place and gathered in reverse: the gradient of the weighted
   * loss sum {@code Σ wᵢ ℓᵢ}.
   */
  @ParameterizedTest(name = "{0} {1} weighted")
  @MethodSource("weightedCases")
  void weightedGradientMatchesCentralDifferences(Activation act, Loss loss) {
    int rows = 7;
    MLP mlp = new MLP(6, new int[] {5, 4}, 3, act, loss);
    SplittableRandom rng = new SplittableRandom(act.ordinal() * 17L + loss.ordinal());
    double[] params = mlp.initParameters(WeightInit.XAVIER_UNIFORM, BiasInit.PYTORCH,
        rng.nextLong());
    double[] x = gaussian(rng, rows * 6);
    int[] labels = new int[rows];
    double[] w = new double[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rng.nextInt(3);
      w[r] = r == 2 ? 0.0 : 3 * rng.nextDouble();
    }
    double[] targets = gaussian(rng, rows * 3);
    Examples data = Examples.weighted(Examples.of(rows, x,
        loss == Loss.CROSS_ENTROPY ? labels : null, loss == Loss.MSE ? targets : null), w);
    int[] reversed = {6, 5, 4, 3, 2, 1, 0};
    for (int[] order : new int[][] {null, reversed}) {
      Kernel kernel = Kernel.cpu(mlp, Dtype.FLOAT64, 2);
      kernel.loadWeights(params);
      kernel.forwardBackward(data, order, 0, rows);
      double[] grad = ((double[]) kernel.gradient()).clone();
      double[] probe = params.clone();
      for (int i = 0; i < params.length; i++) {
        probe[i] = params[i] + H;
        kernel.loadWeights(probe);
        double plus = kernel.forwardBackward(data, order, 0, rows);
        probe[i] = params[i] - H;
        kernel.loadWeights(probe);
        double minus = kernel.forwardBackward(data, order, 0, rows);
        probe[i] = params[i];
        double numeric = (plus - minus) / (2 * H);
        assertEquals(numeric, grad[i], 1e-6 * Math.max(1.0, Math.abs(numeric)),
            "parameter " + i + (order == null ? " in place" : " reversed") + " of " + mlp);
      }
    }
  }

  static Stream<Arguments> weightedCases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Activation act : Activation.values()) {
      for (Loss loss : Loss.values()) {
        b.add(Arguments.of(act, loss));
      }
    }
    return b.build();
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
