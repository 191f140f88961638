package io.sparkmlp.train;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training on sparse blocks ends at the weights training on dense blocks reaches (float64 within
 * 1e-12 relative) on the same data, seed and partitions: shuffled batches gathered from CSR,
 * standardisation folded into the first layer, both step engines, classification and regression,
 * and several densities (including empty rows).
 */
class SparseTrainingTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "density {0}, standardize {1}, {2} engine, {3}")
  @CsvSource({
      "0.02, false, job, classification",
      "0.02, true, stage, classification",
      "0.2, true, job, classification",
      "0.2, false, stage, regression",
      "0.6, true, job, regression",
  })
  void sparseTrainingEqualsDense(double density, boolean standardize, String engine, String task)
      throws IOException {
    boolean regression = task.equals("regression");
    Path file = write(density, regression);
    SparkSession spark = SparkTestSession.get();
    TrainConfig config = new TrainConfig().hidden(12, 6).activation(Activation.TANH)
        .dtype(Dtype.FLOAT64).batchSize(37).epochs(3).seed(9).lr(0.01)
        .stepEngine(TrainConfig.StepEngineKind.parse(engine));
    double[][] params = new double[2][];
    double[] valLoss = new double[2];
    for (InputLayout layout : new InputLayout[] {InputLayout.DENSE, InputLayout.SPARSE}) {
      Split split = DataLoader.load(spark, DataSpec.of(file.toString())
              .withTask(regression ? Task.REGRESSION : Task.CLASSIFICATION),
          LoadOptions.defaults().withDtype(Dtype.FLOAT64)
              .withPartitions(engine.equals("stage") ? 2 : 3)
              .withValidationFraction(0.2).withSeed(2).withStandardize(standardize)
              .withLayout(layout));
      assertEquals(layout == InputLayout.SPARSE, split.train().sparse());
      TrainResult r = new Trainer(spark, config).fit(split.train(), split.validation(), null,
          TrainingListener.NONE);
      params[layout.ordinal() - 1] = r.params;
      valLoss[layout.ordinal() - 1] = r.history.get(r.history.size() - 1).valLoss;
      split.unpersist();
    }
    assertClose(params[0], params[1], 1e-12, "sparse vs dense weights");
    assertEquals(valLoss[0], valLoss[1], 1e-12 * valLoss[0], "validation loss");
    assertTrue(Double.isFinite(valLoss[0]));
  }

  /** 240 rows of 50 features at the given density, every 7th row empty; 3 classes or a target. */
  private Path write(double density, boolean regression) throws IOException {
    SplittableRandom rng = new SplittableRandom(Double.hashCode(density));
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < 240; r++) {
      StringBuilder row = new StringBuilder();
      double signal = 0;
      for (int j = 1; j <= 50; j++) {
        if (r % 7 != 3 && rng.nextDouble() < density) {
          double v = Math.round(rng.nextGaussian() * 100) / 10.0 + 2;
          row.append(' ').append(j).append(':').append(v);
          signal += j % 3 == 0 ? v : -v / 2;
        }
      }
      sb.append(regression ? String.valueOf(signal) : String.valueOf(
          signal > 1 ? 2 : signal < -1 ? 0 : 1)).append(row).append('\n');
    }
    Path p = dir.resolve("d" + density + (regression ? "r" : "c") + ".libsvm");
    Files.writeString(p, sb);
    return p;
  }
}
