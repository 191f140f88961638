package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch rule of {@link Divergence}: an epoch's mean training loss may not exceed 100 × the
 * loss of a network that outputs zeros (ln k for k classes, mean(y²) for MSE).
 */
class DivergenceTest {
  @Test
  void regressionIsMeasuredAgainstTheMeanSquaredTarget() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("data-samples/diabetes.csv"));
    double sum = 0;
    for (String line : lines.subList(1, lines.size())) {
      double y = Double.parseDouble(line.split(",")[0]);
      sum += y * y;
    }
    double l0 = sum / (lines.size() - 1);
    Split diabetes = DataLoader.load(SparkTestSession.get(), DataSpec.of(
        "data-samples/diabetes.csv").withTask(Task.REGRESSION),
        LoadOptions.defaults().withDtype(Dtype.FLOAT64).withPartitions(3));
    try {
      Divergence rule = Divergence.of(new MLP(10, new int[] {4}, 1, Activation.RELU, Loss.MSE),
          diabetes.train());
      assertDoesNotThrow(() -> rule.checkEpoch(0, 99.99 * l0, new double[0]));
      double[] start = {1, 2, 3};
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> rule.checkEpoch(2, 100.01 * l0, start));
      assertTrue(e.getMessage().startsWith("training diverged in epoch 3: its mean training loss")
          && e.getMessage().contains(String.format(Locale.ROOT, "(%.4g = mean of the squared "
              + "targets)", l0)), e.getMessage());
      assertSame(start, e.lastGoodParams(), "the weights the epoch started from");
    } finally {
      diabetes.unpersist();
    }
  }

  @Test
  void allZeroTargetsTurnTheRuleOff(@TempDir Path dir) throws IOException {
    Path csv = Files.writeString(dir.resolve("zeros.csv"), "y,x\n0,1\n0,2\n0,3\n");
    Split zeros = DataLoader.load(SparkTestSession.get(), DataSpec.of(csv.toString())
        .withTask(Task.REGRESSION).withLabelCols("y"), LoadOptions.defaults());
    try {
      Divergence rule = Divergence.of(new MLP(1, new int[] {2}, 1, Activation.RELU, Loss.MSE),
          zeros.train());
      assertDoesNotThrow(() -> rule.checkEpoch(5, 1e300, new double[0]));
    } finally {
      zeros.unpersist();
    }
  }

  @Test
  void classificationIsMeasuredAgainstLnK() {
    Split iris = DataLoader.load(SparkTestSession.get(), DataSpec.of("data-samples/iris.csv"),
        LoadOptions.defaults());
    try {
      Divergence three = Divergence.of(new MLP(4, new int[] {8}, 3, Activation.RELU,
          Loss.CROSS_ENTROPY), iris.train());
      assertDoesNotThrow(() -> three.checkEpoch(0, 109.8, new double[0]));
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> three.checkEpoch(0, 109.9, new double[0]));
      assertTrue(e.getMessage().contains("more than 100 x the loss of a network that outputs "
          + "zeros (1.099 = ln 3 classes)"), e.getMessage());
    } finally {
      iris.unpersist();
    }
  }
}
