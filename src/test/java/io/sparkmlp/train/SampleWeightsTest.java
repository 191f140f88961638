package io.sparkmlp.train;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.testing.Golden;
import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sample weights in the distributed trainer: each step's loss is the weighted mean
 * {@code Σ wᵢ ℓᵢ / Σ wᵢ} of its rows, as PyTorch's {@code reduction='none'} loss weighted and
 * divided by the weights' sum; a step whose weights sum to 0 makes no update.
 */
class SampleWeightsTest {
  @TempDir Path dir;

  /**
   * PyTorch's optimizer runs on the weighted mean loss (make_golden.py: Adam on mini-batches of
   * 16 with cross-entropy, SGD with momentum on the full batch with MSE; weights 2, 0, 1, 0.5,
   * then fractional) end at the same weights to 1e-9 relative, with 1 and 3 partitions.
   */
  @ParameterizedTest
  @ValueSource(strings = {"adam_weighted_minibatch", "sgd_weighted_mse"})
  void weightedRunsMatchPytorch(String name) throws IOException {
    Golden g = Golden.load("opt_" + name);
    Path csv = g.writeCsv(dir);
    TrainConfig config = g.optimizerRun();
    SparkSession spark = SparkTestSession.get();
    for (int partitions : new int[] {1, 3}) {
      Split split = g.split(spark, csv, partitions);
      List<Double> losses = new ArrayList<>();
      TrainResult r = new Trainer(spark, config).fit(split.train(), null, g.initialParams,
          new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, long globalStep, double loss, double lr,
                long rows) {
              losses.add(loss);
            }
          });
      String what = name + " with " + partitions + " partitions";
      assertClose(g.flat("final."), r.params, 1e-9, what);
      assertClose(g.tensor("losses"), losses.stream().mapToDouble(Double::doubleValue).toArray(),
          1e-9, what + ": each step's weighted mean loss");
      split.unpersist();
    }
  }

  /**
   * A mini-batch whose rows all weigh 0 has no weighted mean: the step leaves the weights and
   * the optimizer (Adam's moments and step count) as they were. Rows 0..3 weigh 0 and form the
   * first batch of 4, so one epoch ends exactly where one step on rows 4..7 alone ends.
   */
  @Test
  void aStepWhoseWeightsSumToZeroMakesNoUpdate() throws IOException {
    StringBuilder all = new StringBuilder("label,f0,f1,w\n");
    StringBuilder tail = new StringBuilder("label,f0,f1,w\n");
    for (int r = 0; r < 8; r++) {
      String row = (r % 2) + "," + (0.25 * r - 1) + "," + (r * r * 0.125 - 2) + ",";
      all.append(row).append(r < 4 ? "0" : "1.5").append('\n');
      if (r >= 4) {
        tail.append(row).append("1.5\n");
      }
    }
    Path a = dir.resolve("zero-first.csv");
    Path b = dir.resolve("tail.csv");
    Files.writeString(a, all);
    Files.writeString(b, tail);
    SparkSession spark = SparkTestSession.get();
    TrainConfig config = new TrainConfig().hidden(5).dtype(Dtype.FLOAT64).batchSize(4).epochs(1)
        .shuffle(false).seed(3).lr(0.05);
    List<TrainResult> results = new ArrayList<>();
    List<Double> stepLosses = new ArrayList<>();
    for (Path p : new Path[] {a, b}) {
      Split split = DataLoader.load(spark, DataSpec.of(p.toString()).withWeightCol("w"),
          LoadOptions.defaults().withDtype(Dtype.FLOAT64));
      results.add(new Trainer(spark, config).fit(split.train(), null, null,
          new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, long globalStep, double loss, double lr,
                long rows) {
              stepLosses.add(loss);
            }
          }));
      split.unpersist();
    }
    assertArrayEquals(results.get(1).params, results.get(0).params,
        "the all-zero batch changed nothing");
    assertEquals(List.of(0.0, stepLosses.get(2), stepLosses.get(2)), stepLosses,
        "the weightless step reports 0; the next one the tail's loss");
    assertEquals(results.get(1).history.get(0).trainLoss, results.get(0).history.get(0).trainLoss,
        1e-15, "the epoch's weighted mean loss ignores the weightless rows");
  }

  /**
   * Validation figures are weighted as MLlib's evaluators weight them: the weighted data give
   * the loss, accuracy / RMSE and R² of the data with weight-2 rows written twice and weight-0
   * rows left out (iris for classification, its petal width as a regression target).
   */
  @Test
  void validationFiguresOfWeightsAreThoseOfCopies() throws IOException {
    List<String> iris = Files.readAllLines(Path.of("data-samples/iris.csv"));
    StringBuilder weighted = new StringBuilder(iris.get(0)).append(",w\n");
    StringBuilder copies = new StringBuilder(iris.get(0)).append(",w\n");
    int[] weights = {2, 0, 1};
    for (int i = 1; i < iris.size(); i++) {
      int w = weights[(i - 1) % 3];
      weighted.append(iris.get(i)).append(',').append(w).append('\n');
      copies.append((iris.get(i) + ",1\n").repeat(w));
    }
    Path a = dir.resolve("weighted.csv");
    Path b = dir.resolve("copies.csv");
    Files.writeString(a, weighted);
    Files.writeString(b, copies);
    SparkSession spark = SparkTestSession.get();
    for (Task task : Task.values()) {
      boolean ce = task == Task.CLASSIFICATION;
      MLP mlp = new MLP(4, new int[] {6}, ce ? 3 : 1, Activation.TANH,
          ce ? Loss.CROSS_ENTROPY : Loss.MSE);
      double[] params = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 11);
      double[][] figures = new double[2][];
      int at = 0;
      for (Path p : new Path[] {a, b}) {
        DataSpec spec = DataSpec.of(p.toString()).withWeightCol("w").withTask(task)
            .withLabelCols(ce ? "label" : "f3");
        Split split = DataLoader.load(spark, spec,
            LoadOptions.defaults().withDtype(Dtype.FLOAT64).withPartitions(3));
        Scorer scorer = new Scorer(mlp, Dtype.FLOAT64, params);
        ValidationStats total = new ValidationStats(0, 0, 0, 0, 0, 0);
        for (io.sparkmlp.data.Block block : split.train().blocks().collect()) {
          total = total.plus(scorer.validate(block));
        }
        figures[at++] = new double[] {total.meanLoss(mlp.loss(), mlp.numOutputs()),
            total.metric(mlp.loss(), mlp.numOutputs()), ce ? 0 : total.r2(mlp.loss(), 1)};
        split.unpersist();
      }
      assertClose(figures[1], figures[0], 1e-12, task + ": loss, metric, R²");
    }
  }
}
