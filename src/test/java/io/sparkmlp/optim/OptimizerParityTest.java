package io.sparkmlp.optim;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several optimizer steps from PyTorch's initial weights on the same data give PyTorch's final
 * weights to 1e-9 relative (golden files from {@code src/test/python/make_golden.py}).
 */
class OptimizerParityTest {
  static Stream<String> cases() {
    return Stream.of("sgd_plain", "sgd_momentum", "sgd_nesterov", "sgd_wd", "sgd_dampening",
        "adam", "adam_wd", "adamw", "adam_mse", "adam_minibatch", "sgd_cosine_warmup");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void stepsMatchPytorch(String name) {
    Golden g = Golden.load("opt_" + name);
    MLP mlp = g.mlp;
    double[] x = g.tensor("x");
    int rows = x.length / mlp.numInputs();
    boolean ce = mlp.loss() == Loss.CROSS_ENTROPY;
    int[] labels = ce ? g.labels() : null;
    double[] targets = ce ? null : g.tensor("y");
    int steps = Integer.parseInt(g.meta("steps"));
    int batch = "full".equals(g.meta("batch_size")) ? rows : Integer.parseInt(g.meta("batch_size"));
    Optimizer opt = optimizer(g);
    LrSchedule schedule = new LrSchedule(LrSchedule.Kind.parse(g.meta("schedule")),
        Double.parseDouble(g.meta("lr")), Integer.parseInt(g.meta("warmup_steps")), steps,
        (rows + batch - 1) / batch, 1, 1.0);

    double[] params = g.initialParams.clone();
    OptimizerState state = opt.newState(params.length);
    Float64Kernel kernel = new Float64Kernel(mlp, 64);
    double[] losses = new double[steps];
    double[] lrs = new double[steps];
    int batchesPerEpoch = (rows + batch - 1) / batch;
    for (int s = 0; s < steps; s++) {
      int start = (s % batchesPerEpoch) * batch;
      int m = Math.min(batch, rows - start);
      double[] grad = new double[params.length];
      double lossSum = kernel.forwardBackward(params, x, start, m, labels, targets, grad);
      double n = mlp.loss().normalizer(m, mlp.numOutputs());
      for (int i = 0; i < grad.length; i++) {
        grad[i] /= n;
      }
      losses[s] = lossSum / n;
      lrs[s] = schedule.lr(s + 1);
      opt.step(params, grad, lrs[s], state);
    }
    assertEquals(steps, state.step());
    assertClose(g.tensor("lrs"), lrs, 1e-12, name + " learning rates");
    assertClose(g.tensor("losses"), losses, 1e-9, name + " losses");
    assertClose(g.flat("final."), params, 1e-9, name + " final weights");
  }

  private static Optimizer optimizer(Golden g) {
    double wd = Double.parseDouble(g.meta("weight_decay"));
    switch (g.meta("optimizer")) {
      case "sgd":
        return new Sgd(Double.parseDouble(g.meta("momentum")), Double.parseDouble(g.meta("dampening")),
            Boolean.parseBoolean(g.meta("nesterov")), wd);
      case "adam":
      case "adamw":
        return new Adam(Double.parseDouble(g.meta("beta1")), Double.parseDouble(g.meta("beta2")),
            Double.parseDouble(g.meta("eps")), wd, g.meta("optimizer").equals("adamw"));
      default:
        throw new IllegalArgumentException(g.meta("optimizer"));
    }
  }

  @Test
  void hyperParametersAreValidatedWithTheBadValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LrSchedule.constant(-0.1));
    assertEquals("learning rate must be > 0, got -0.1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Adam(1.0, 0.999, 1e-8, 0, false));
    assertEquals("beta1 must be in [0, 1), got 1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0, 0, true, 0));
    assertTrue(e.getMessage().startsWith("Nesterov momentum needs momentum > 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0.9, 0, false, -1));
    assertEquals("weight decay must be >= 0, got -1.0", e.getMessage());
  }

  @Test
  void stepScheduleDecaysPerEpochAfterWarmup() {
    LrSchedule s = new LrSchedule(LrSchedule.Kind.STEP, 1.0, 2, 100, 10, 3, 0.5);
    assertEquals(0.5, s.lr(1));
    assertEquals(1.0, s.lr(2));
    assertEquals(1.0, s.lr(30));   // epoch 2
    assertEquals(0.5, s.lr(31));   // epoch 3
    assertEquals(0.25, s.lr(61));  // epoch 6
  }
}
