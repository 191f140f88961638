package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SparkTestSession;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Side by side with MLlib's {@code MultilayerPerceptronClassifier} (L-BFGS, its defaults) on
 * digits, 64-128-10, the same seeded 80/20 split: ours must reach at least its test accuracy.
 */
class MlpcComparisonTest {
  @Test
  void reachesAtLeastMllibsTestAccuracyOnDigits() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row>[] parts = MlTestData.digits(spark).randomSplit(new double[] {0.8, 0.2}, 42);
    Dataset<Row> train = parts[0].cache();
    Dataset<Row> test = parts[1].cache();
    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");

    long t0 = System.nanoTime();
    double mlpc = accuracy.evaluate(new MultilayerPerceptronClassifier()
        .setLayers(new int[] {64, 128, 10}).setSeed(42).fit(train).transform(test));
    long t1 = System.nanoTime();
    double ours = accuracy.evaluate(new MlpClassifier().setHiddenLayers(128).setMaxIter(15)
        .setBatchSize(128).setLr(0.003).setStandardize(true).setSeed(42).fit(train)
        .transform(test));
    long t2 = System.nanoTime();

    System.out.printf(Locale.ROOT, "digits 64-128-10 test accuracy: MultilayerPerceptronClassifier"
        + " %.4f (%.1f s), MlpClassifier %.4f (%.1f s)%n", mlpc, (t1 - t0) / 1e9, ours,
        (t2 - t1) / 1e9);
    assertTrue(ours >= mlpc, "ours " + ours + " < MLPC " + mlpc);
    train.unpersist();
    test.unpersist();
  }
}
