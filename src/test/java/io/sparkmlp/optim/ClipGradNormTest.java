package io.sparkmlp.optim;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.ParallelRanges;
import io.sparkmlp.testing.Golden;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --grad-clip-norm}: PyTorch's {@code clip_grad_norm_} between backward and step, checked
 * against PyTorch runs in which some steps are clipped and some are not (golden files
 * {@code opt_sgd_clip}, {@code opt_adam_clip} from {@code src/test/python/make_golden.py}).
 */
public class ClipGradNormTest {

  /**
   * Each step's gradient norm to 1e-12 and the final weights to 1e-9 of PyTorch's; the update is
   * applied in ranges of 7 parameters, as the trainer applies it in blocks.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sgd_clip", "adam_clip"})
  void stepsMatchPytorch(String name) {
    Golden g = Golden.load("opt_" + name);
    MLP mlp = g.mlp;
    double[] x = g.tensor("x");
    int rows = x.length / mlp.numInputs();
    boolean ce = mlp.loss() == Loss.CROSS_ENTROPY;
    int steps = Integer.parseInt(g.meta("steps"));
    int batch = "full".equals(g.meta("batch_size")) ? rows : Integer.parseInt(g.meta("batch_size"));
    Optimizer opt = g.optimizerRun().newOptimizer();
    assertInstanceOf(ClipGradNorm.class, opt);
    double[] params = g.initialParams.clone();
    OptimizerState state = opt.newState(params.length);
    Float64Kernel kernel = new Float64Kernel(mlp, 64);
    double[] norms = new double[steps];
    double maxNorm = Double.parseDouble(g.meta("grad_clip_norm"));
    int clipped = 0;
    int batches = (rows + batch - 1) / batch;
    for (int s = 0; s < steps; s++) {
      int start = (s % batches) * batch;
      int m = Math.min(batch, rows - start);
      double[] grad = new double[params.length];
      kernel.forwardBackward(params, x, start, m, ce ? g.labels() : null,
          ce ? null : g.tensor("y"), grad);
      double n = mlp.loss().normalizer(m, mlp.numOutputs());
      for (int i = 0; i < grad.length; i++) {
        grad[i] /= n;
      }
      norms[s] = ClipGradNorm.norm(grad);
      clipped += norms[s] > maxNorm ? 1 : 0;
      Optimizer.Update u = opt.begin(Double.parseDouble(g.meta("lr")), state);
      for (int from = 0; from < params.length; from += 7) {
        u.apply(params, grad, from, Math.min(params.length, from + 7));
      }
    }
    assertTrue(clipped > 0 && clipped < steps, clipped + " of " + steps + " steps clipped");
    assertClose(g.tensor("grad_norms"), norms, 1e-12, name + " gradient norms");
    assertClose(g.flat("final."), params, 1e-9, name + " final weights");
  }

  @Test
  void aGradientWithinTheNormIsLeftExactlyAsItIs() {
    Random r = new Random(3);
    double[] grad = new double[50];
    for (int i = 0; i < grad.length; i++) {
      grad[i] = r.nextGaussian();
    }
    double n = ClipGradNorm.norm(grad);
    double[] plain = step(new Sgd(0, 0, false, 0), grad.clone());
    assertArrayEquals(plain, step(new ClipGradNorm(n * 1.01, new Sgd(0, 0, false, 0)),
        grad.clone()), "bit for bit");

    double[] clipped = step(new ClipGradNorm(n / 4, new Sgd(0, 0, false, 0)), grad.clone());
    double coef = (n / 4) / (n + 1e-6);
    for (int i = 0; i < grad.length; i++) {
      assertEquals(-grad[i] * coef, clipped[i], 1e-15, "θ = 0 − 1·coef·g");
    }
    assertEquals(n / 4, ClipGradNorm.norm(clipped), 1e-6 * n, "the update has the clip norm");
  }

  /**
   * The trainer updates long parameter vectors in ranges on several threads at once
   * ({@link ParallelRanges}): the norm is still taken over the whole unscaled gradient, so the
   * step has the bits of one call over everything, clipped or not.
   */
  @Test
  void rangesUpdatedOnSeveralThreadsGiveTheBitsOfOneCall() {
    Random r = new Random(11);
    int n = 8 * ParallelRanges.MIN_RANGE + 123;
    double[] grad = new double[n];
    double[] start = new double[n];
    for (int i = 0; i < n; i++) {
      grad[i] = r.nextGaussian();
      start[i] = r.nextGaussian();
    }
    double norm = ClipGradNorm.norm(grad);
    for (double maxNorm : new double[] {norm / 3, norm * 2}) {
      for (int trial = 0; trial < 20; trial++) {
        Optimizer o = new ClipGradNorm(maxNorm, new Adam(0.9, 0.999, 1e-8, 0.01, true));
        OptimizerState one = o.newState(n);
        double[] whole = start.clone();
        o.begin(0.01, one).apply(whole, grad.clone(), 0, n);
        OptimizerState many = o.newState(n);
        double[] ranged = start.clone();
        double[] g = grad.clone();
        Optimizer.Update u = o.begin(0.01, many);
        ParallelRanges.forEach(n, (from, to) -> {
          for (int k = from; k < to; k += 1000) {
            u.apply(ranged, g, k, Math.min(to, k + 1000));
          }
        });
        assertArrayEquals(whole, ranged, "max norm " + maxNorm + ", trial " + trial);
      }
    }
  }

  /** One SGD step with lr 1 from zero weights: minus the (clipped) gradient. */
  private static double[] step(Optimizer o, double[] grad) {
    double[] params = new double[grad.length];
    o.step(params, grad, 1.0, o.newState(params.length));
    return params;
  }

  @Test
  void offUnlessSetAndValidatedOnce() {
    assertInstanceOf(Adam.class, new TrainConfig().newOptimizer(), "default 0: no clipping");
    TrainConfig c = new TrainConfig().set(Settings.GRAD_CLIP_NORM, 2.5);
    assertEquals("clip_grad_norm(max_norm=2.5), then adam(beta1=0.9, beta2=0.999, eps=1.0E-8, "
        + "weight_decay=0.0)", c.newOptimizer().describe());
    assertEquals("2.5", c.describe().get("grad-clip-norm"));
    assertEquals("grad clip norm must be >= 0, got -1.0", assertThrows(
        IllegalArgumentException.class, () -> c.set(Settings.GRAD_CLIP_NORM, -1.0)).getMessage());
    assertEquals("max gradient norm must be > 0, got 0.0", assertThrows(
        IllegalArgumentException.class, () -> new ClipGradNorm(0, new Sgd(0, 0, false, 0)))
        .getMessage());
  }
}
