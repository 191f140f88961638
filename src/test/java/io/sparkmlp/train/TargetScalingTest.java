package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.TargetScaling;
import io.sparkmlp.data.Task;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --standardize-targets}: training on (y − μ)/σ is training on those numbers written in
 * the file, and the saved model (μ, σ folded into the last layer) predicts y.
 */
class TargetScalingTest {
  @TempDir Path dir;

  /** Two targets of very different ranges (≈1e6 ± 3e4 and ≈ −2 ± 0.01), 3 features. */
  private static List<double[]> rows() {
    java.util.Random r = new java.util.Random(11);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      double c = r.nextGaussian();
      double y0 = 1e6 + 3e4 * (a - 0.5 * b * b) + 1e3 * r.nextGaussian();
      double y1 = -2 + 0.01 * Math.tanh(b + c);
      rows.add(new double[] {y0, y1, a, b, c});
    }
    return rows;
  }

  private static Path write(Path file, List<double[]> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("y0,y1,a,b,c");
    for (double[] v : rows) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < v.length; j++) {
        sb.append(j > 0 ? "," : "").append(v[j]);
      }
      lines.add(sb.toString());
    }
    return Files.write(file, lines);
  }

  private static Split load(SparkSession spark, Path csv, boolean standardizeTargets) {
    DataSpec spec = DataSpec.of(csv.toString()).withTask(Task.REGRESSION)
        .withLabelCols(List.of("y0", "y1"));
    return DataLoader.load(spark, spec, LoadOptions.defaults().withDtype(Dtype.FLOAT64)
        .withPartitions(3).withValidationFraction(0.25).withSeed(7)
        .withStandardizeTargets(standardizeTargets));
  }

  @Test
  void trainsOnStandardisedTargetsAndSavesAModelInTheTargetsUnits() throws IOException {
    SparkSession spark = SparkTestSession.get();
    List<double[]> rows = rows();
    Split scaled = load(spark, write(dir.resolve("y.csv"), rows), true);
    TargetScaling s = scaled.train().targetScaling();
    // μ and σ are the training rows' population statistics (the validation rows excluded).
    List<double[]> trainTargets = new ArrayList<>();
    for (Block b : scaled.train().blocks().collect()) {
      for (int i = 0; i < b.rows(); i++) {
        trainTargets.add(new double[] {s.original(0, b.target(2 * i)),
            s.original(1, b.target(2 * i + 1))});
      }
    }
    assertEquals(90, trainTargets.size());
    for (int k = 0; k < 2; k++) {
      double sum = 0;
      for (double[] t : trainTargets) {
        sum += t[k];
      }
      double mean = sum / 90;
      double sq = 0;
      for (double[] t : trainTargets) {
        sq += (t[k] - mean) * (t[k] - mean);
      }
      assertEquals(mean, s.mean()[k], 1e-12 * Math.abs(mean) + 1e-15, "mean of target " + k);
      assertEquals(Math.sqrt(sq / 90), s.std(k), 1e-9 * s.std(k), "std of target " + k);
    }

    // The same rows with z = (y − μ)/σ written in the file, not standardised by the loader.
    List<double[]> z = new ArrayList<>();
    for (double[] v : rows) {
      z.add(new double[] {(v[0] - s.mean()[0]) / s.std(0), (v[1] - s.mean()[1]) / s.std(1),
          v[2], v[3], v[4]});
    }
    Split plain = load(spark, write(dir.resolve("z.csv"), z), false);
    assertNull(plain.train().targetScaling());

    TrainConfig config = new TrainConfig().hidden(8).dtype(Dtype.FLOAT64).batchSize(32)
        .epochs(20).lr(0.01).seed(3);
    Trainer trainer = new Trainer(spark, config);
    TrainResult a = trainer.fit(scaled.train(), scaled.validation(), null, TrainingListener.NONE);
    TrainResult b = trainer.fit(plain.train(), plain.validation(), null, TrainingListener.NONE);
    assertArrayEquals(b.params, a.params, "the run on standardised targets is the run on z");
    for (int e = 0; e < 20; e++) {
      assertEquals(b.history.get(e).trainLoss, a.history.get(e).trainLoss);
      assertEquals(b.history.get(e).valLoss, a.history.get(e).valLoss);
    }

    // Saved: μ, σ folded in; the model's outputs on the rows are σ·ẑ + μ.
    SavedModel saved = trainer.savedModel(a, scaled.train(), Map.of());
    assertArrayEquals(s.fold(a.mlp, a.params, Dtype.FLOAT64), saved.params());
    assertEquals(s.mean()[0], Double.parseDouble(saved.extra().get("folded_target_mean")
        .replaceAll("^\\[|,.*$", "")), 0.0);
    Split original = load(spark, dir.resolve("y.csv"), false);
    double sse = 0;
    double sst = 0;
    double mean0 = s.mean()[0];
    for (Block blk : original.validation().blocks().collect()) {
      double[] y = new Scorer(saved.mlp(), Dtype.FLOAT64, saved.params()).outputs(blk);
      double[] zHat = new Scorer(a.mlp, Dtype.FLOAT64, a.params).outputs(blk);
      for (int i = 0; i < blk.rows(); i++) {
        for (int k = 0; k < 2; k++) {
          double expected = s.std(k) * zHat[2 * i + k] + s.mean()[k];
          assertEquals(expected, y[2 * i + k], 1e-9 * Math.abs(expected));
        }
        double d = y[2 * i] - blk.target(2 * i);
        sse += d * d;
        sst += (blk.target(2 * i) - mean0) * (blk.target(2 * i) - mean0);
      }
    }
    // Validation figures are in the targets' units: the last epoch's RMSE over both targets.
    double rmse = a.history.get(19).valMetric;
    assertTrue(rmse > 1e3 && rmse < 3e4, "validation RMSE in y's units: " + rmse);
    assertTrue(1 - sse / sst > 0.5, "the saved model explains target 0: R² " + (1 - sse / sst));

    // Starting weights are a model in y's units: fit from the saved model continues the run.
    TrainResult resumed = new Trainer(spark, config.copy().epochs(1)).fit(scaled.train(), null,
        saved.params(), TrainingListener.NONE);
    TrainResult direct = new Trainer(spark, config.copy().epochs(1)).fit(plain.train(), null,
        a.params, TrainingListener.NONE);
    io.sparkmlp.testing.Golden.assertClose(direct.params, resumed.params, 1e-9,
        "fold then unfold of the starting weights");
    scaled.unpersist();
    plain.unpersist();
    original.unpersist();
  }

  @Test
  void classificationDataIgnoreIt() {
    Split split = DataLoader.load(SparkTestSession.get(), DataSpec.of("data-samples/iris.csv"),
        LoadOptions.defaults().withStandardizeTargets(true));
    assertNull(split.train().targetScaling());
    split.unpersist();
  }
}
