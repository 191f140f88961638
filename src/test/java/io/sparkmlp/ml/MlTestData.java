package io.sparkmlp.ml;

import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The sample data sets as DataFrames with a {@code features} vector and a {@code label}. */
final class MlTestData {
  private MlTestData() {}

  /** A sample CSV with its header as read by Spark (label first, then f0, f1, ...). */
  static Dataset<Row> csv(SparkSession spark, String name) {
    return spark.read().option("header", true).option("inferSchema", true)
        .csv("data-samples/" + name + ".csv");
  }

  /** A sample CSV with its feature columns assembled into {@code features}. */
  static Dataset<Row> assembled(SparkSession spark, String name) {
    Dataset<Row> raw = csv(spark, name);
    String[] cols = Arrays.stream(raw.columns()).filter(c -> !c.equals("label"))
        .toArray(String[]::new);
    return new VectorAssembler().setInputCols(cols).setOutputCol("features").transform(raw)
        .select("label", "features");
  }

  /** Digits (1797 x 64) from LibSVM: sparse feature vectors. */
  static Dataset<Row> digits(SparkSession spark) {
    return spark.read().format("libsvm").option("numFeatures", "64")
        .load("data-samples/digits.libsvm");
  }
}
