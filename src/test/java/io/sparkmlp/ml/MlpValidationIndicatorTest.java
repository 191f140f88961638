package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.DataFrameSource;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.testing.SparkTestSession;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code validationIndicatorCol}: the marked rows are the validation set, and only they. */
class MlpValidationIndicatorTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.get();
  }

  /**
   * 300 rows in 3 DataFrame partitions: label = row id + a noisy function of 4 features (ids
   * make every label distinct), about a quarter marked for validation at random.
   */
  private static Dataset<Row> data() {
    Random r = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
      double y = i * 1e-3 + Math.sin(x[0]) + x[1] * x[2] + 0.1 * r.nextGaussian();
      rows.add(RowFactory.create(y, Vectors.dense(x), r.nextInt(4) == 0, i));
    }
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false)
        .add("isVal", DataTypes.BooleanType, true)
        .add("id", DataTypes.IntegerType, false);
    return spark.createDataFrame(rows, schema).repartition(3).sortWithinPartitions("id");
  }

  private static TreeSet<Double> targets(io.sparkmlp.data.Dataset d) {
    TreeSet<Double> t = new TreeSet<>();
    for (Block b : d.blocks().collect()) {
      for (int i = 0; i < b.rows(); i++) {
        t.add(b.target(i));
      }
    }
    return t;
  }

  @Test
  void theHeldOutRowsAreExactlyTheMarkedOnes() {
    Dataset<Row> df = data().cache();
    LoadOptions options = LoadOptions.defaults().withDtype(io.sparkmlp.nn.Dtype.FLOAT64)
        .withPartitions(2);
    Split split = DataFrameSource.load(df, "features", "label", null, "isVal", Task.REGRESSION,
        options);
    TreeSet<Double> marked = new TreeSet<>(df.filter("isVal").select("label").as(
        org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
    TreeSet<Double> unmarked = new TreeSet<>(df.filter("not isVal").select("label").as(
        org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
    assertTrue(marked.size() > 50 && unmarked.size() > 180, marked.size() + " marked");
    assertEquals(marked, targets(split.validation()));
    assertEquals(unmarked, targets(split.train()));
    split.unpersist();

    // with a weight column too (the indicator is then the row's fourth value)
    Split weighted = DataFrameSource.load(df.withColumn("w", functions.lit(2.0)), "features",
        "label", "w", "isVal", Task.REGRESSION, options);
    assertEquals(marked, targets(weighted.validation()));
    assertEquals(unmarked, targets(weighted.train()));
    double weightSum = 0;
    for (Block b : weighted.train().blocks().collect()) {
      weightSum += b.weightSum(null, 0, b.rows());
    }
    assertEquals(2.0 * df.filter("not isVal").count(), weightSum, 0.0, "every training row weighs 2");
    weighted.unpersist();

    Split none = DataFrameSource.load(df.withColumn("isVal", functions.lit(false)), "features",
        "label", null, "isVal", Task.REGRESSION, options);
    assertEquals(300, none.train().numRows());
    assertEquals(null, none.validation(), "no true row: no validation part");
    none.unpersist();
    df.unpersist();
  }

  @Test
  void earlyStoppingScoresTheMarkedRows() {
    Dataset<Row> df = data().cache();
    MlpRegressor estimator = new MlpRegressor().setHiddenLayers(32).setMaxIter(200)
        .setBatchSize(32).setLr(0.05).setDtype("float64").setSeed(9).setNumPartitions(2)
        .setEarlyStoppingPatience(3).setValidationIndicatorCol("isVal")
        .setStandardizeTargets(false);
    MlpRegressionModel model = estimator.fit(df);
    MlpTrainingSummary s = model.summary();
    assertTrue(s.stoppedEarly() && s.totalIterations() < 200, s.totalIterations() + " epochs");

    // The same run by hand: the unmarked rows for training, the marked ones for validation.
    LoadOptions options = estimator.toLoadOptions();
    Split train = DataFrameSource.load(df.filter("not isVal"), "features", "label",
        Task.REGRESSION, options);
    Split val = DataFrameSource.load(df.filter("isVal"), "features", "label", Task.REGRESSION,
        options.withPartitions(1));
    TrainResult byHand = new Trainer(spark, estimator.toTrainConfig()).fit(train.train(),
        val.train(), null, TrainingListener.NONE);
    assertEquals(byHand.bestEpoch, s.bestEpoch());
    double[] valLoss = byHand.history.stream().mapToDouble(m -> m.valLoss).toArray();
    assertEquals(valLoss.length, s.validationLossHistory().length);
    for (int e = 0; e < valLoss.length; e++) {
      assertEquals(valLoss[e], s.validationLossHistory()[e], 1e-12 * valLoss[e],
          "validation loss of epoch " + (e + 1));
    }
    assertArrayEquals(byHand.params, model.weights(), "the best epoch's weights, bit for bit");
    train.unpersist();
    val.unpersist();
    df.unpersist();
  }

  @Test
  void theClassifierScoresTheMarkedRowsToo() {
    Dataset<Row> iris = MlTestData.assembled(spark, "iris")
        .withColumn("isVal", functions.rand(2).lt(0.3)).cache();
    long marked = iris.filter("isVal").count();
    MlpClassificationModel m = new MlpClassifier().setHiddenLayers(8).setMaxIter(5)
        .setBatchSize(0).setLr(0.05).setValidationIndicatorCol("isVal").fit(iris);
    for (double acc : m.summary().validationMetricHistory()) {
      double correct = acc * marked;
      assertEquals(Math.rint(correct), correct, 1e-9,
          "accuracy " + acc + " is a count over the " + marked + " marked rows");
    }
    iris.unpersist();
  }

  @Test
  void refusedWithAFractionAndNamesANullIndicatorRow() {
    Dataset<Row> df = data();
    String both = assertThrows(IllegalArgumentException.class, () -> new MlpRegressor()
        .setValidationIndicatorCol("isVal").setValidationFraction(0.2).setMaxIter(1).fit(df))
        .getMessage();
    assertTrue(both.contains("'isVal'") && both.contains("0.2") && both.contains("one of them"),
        both);
    Dataset<Row> withNull = df.withColumn("isVal", functions.when(functions.col("id")
        .equalTo(7), functions.lit(null).cast("boolean")).otherwise(functions.col("isVal")))
        .coalesce(1);
    String nul = assertThrows(IllegalArgumentException.class, () -> new MlpRegressor()
        .setValidationIndicatorCol("isVal").setMaxIter(1).fit(withNull)).getMessage();
    assertTrue(nul.contains("null validation indicator") && nul.contains("'isVal'"), nul);
    String type = assertThrows(IllegalArgumentException.class, () -> new MlpRegressor()
        .setValidationIndicatorCol("id").setMaxIter(1).fit(df)).getMessage();
    assertTrue(type.contains("must be boolean"), type);
  }
}
