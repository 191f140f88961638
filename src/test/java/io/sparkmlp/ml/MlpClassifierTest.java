package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SparkTestSession;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MlpClassifierTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.get();
  }

  @Test
  void fitsSparseDigitsAndTransformsInBatches() {
    Dataset<Row> digits = MlTestData.digits(spark);
    MlpClassificationModel model = new MlpClassifier().setHiddenLayers(32).setMaxIter(4)
        .setBatchSize(128).setLr(0.01).setStandardize(true).setValidationFraction(0.2)
        .setSeed(7).fit(digits);

    assertEquals(10, model.numClasses());
    assertEquals(64, model.numFeatures());
    MlpTrainingSummary s = model.summary();
    assertEquals(4, s.totalIterations());
    assertEquals("accuracy", s.metricName());
    double[] loss = s.objectiveHistory();
    assertTrue(loss[3] < loss[0] / 2, "training loss should fall: " + Arrays.toString(loss));
    double valAccuracy = s.validationMetricHistory()[3];
    assertTrue(valAccuracy > 0.9, "validation accuracy " + valAccuracy);

    Dataset<Row> scored = model.transform(digits);
    assertEquals(List.of("label", "features", "rawPrediction", "probability", "prediction"),
        Arrays.asList(scored.columns()));
    List<Row> rows = scored.collectAsList();
    assertEquals(1797, rows.size());
    long correct = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      Vector raw = r.getAs("rawPrediction");
      Vector p = r.getAs("probability");
      double sum = Arrays.stream(p.toArray()).sum();
      assertEquals(1.0, sum, 1e-12);
      assertEquals(p.argmax(), raw.argmax());
      double prediction = r.getAs("prediction");
      assertEquals(p.argmax(), prediction);
      correct += prediction == r.getDouble(0) ? 1 : 0;
      if (i % 200 == 0) {
        // one row is one sgemm of m = 1; BLAS may round it differently in the last float bit
        Vector features = r.getAs("features");
        assertArrayEquals(raw.toArray(), model.predictRaw(features).toArray(), 1e-5);
        assertArrayEquals(p.toArray(), model.predictProbability(features).toArray(), 1e-6);
        assertEquals(prediction, model.predict(features));
      }
    }
    assertTrue(correct > 0.9 * rows.size(), "training accuracy " + correct + "/1797");
    assertEquals(10, ((NominalAttribute) Attribute.fromStructField(
        scored.schema().apply("prediction"))).getNumValues().get());
  }

  @Test
  void predictsLabelValuesNotIndices() {
    Dataset<Row> iris = MlTestData.assembled(spark, "iris")
        .withColumn("label", functions.col("label").plus(1));
    MlpClassificationModel model = new MlpClassifier().setHiddenLayers(8).setMaxIter(30)
        .setBatchSize(0).setLr(0.05).setStandardize(true).fit(iris);

    assertArrayEquals(new double[] {1, 2, 3}, model.classLabels(), 0.0);
    List<Row> rows = model.transform(iris).select("label", "prediction").collectAsList();
    long correct = rows.stream().filter(r -> r.getInt(0) == r.getDouble(1)).count();
    assertTrue(correct >= 130, "accuracy " + correct + "/150 with labels 1..3");
    assertTrue(rows.stream().allMatch(r -> r.getDouble(1) >= 1 && r.getDouble(1) <= 3));
  }

  @Test
  void thresholdsChangeThePredictionAsInMllib() {
    Dataset<Row> iris = MlTestData.assembled(spark, "iris");
    MlpClassificationModel model = new MlpClassifier().setHiddenLayers(8).setMaxIter(20)
        .setBatchSize(0).setLr(0.05).setStandardize(true).fit(iris);
    model.setThresholds(new double[] {1, 1, 0});
    List<Row> rows = model.transform(iris).select("prediction").collectAsList();
    assertTrue(rows.stream().allMatch(r -> r.getDouble(0) == 2.0));
  }

  @Test
  void sameSeedAndRowOrderGiveBitIdenticalWeightsWhateverTheInputPartitioning() {
    Dataset<Row> iris = MlTestData.assembled(spark, "iris");
    MlpClassifier est = new MlpClassifier().setHiddenLayers(16).setMaxIter(3).setBatchSize(16)
        .setLr(0.01).setStandardize(true).setSeed(11).setNumPartitions(3);
    double[] a = est.fit(iris).weights();
    List<Row> rows = iris.collectAsList();
    Dataset<Row> sliced = spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 4), iris.schema());
    double[] b = est.fit(sliced).weights();
    double[] c = est.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(12).fit(iris)
        .weights();
    assertArrayEquals(a, b, 0.0);
    assertFalse(Arrays.equals(a, c));
  }
}
