package io.sparkmlp.ml;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code weightCol} on both estimators: a weight of 2 trains as the row given twice and 0 as
 * the row left out (float64, full batch, 1 and 3 partitions, 1e-12 relative); bad weights are
 * refused naming the row, the column and the value.
 */
class MlpSampleWeightsTest {
  private static final int[] WEIGHTS = {2, 0, 1};
  private static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType)
      .add("features", SQLDataTypes.VectorType())
      .add("w", DataTypes.DoubleType);
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.get();
  }

  /** The sample's rows (label first), row i with weight WEIGHTS[i % 3], and as copies. */
  private static List<List<Row>> weightedAndCopies(String sample, int maxRows) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("data-samples", sample + ".csv"));
    List<Row> weighted = new ArrayList<>();
    List<Row> copies = new ArrayList<>();
    for (int i = 1; i < lines.size() && i <= maxRows; i++) {
      double[] v = Arrays.stream(lines.get(i).split(",")).mapToDouble(Double::parseDouble)
          .toArray();
      int w = WEIGHTS[(i - 1) % 3];
      Object features = Vectors.dense(Arrays.copyOfRange(v, 1, v.length));
      weighted.add(RowFactory.create(v[0], features, (double) w));
      for (int c = 0; c < w; c++) {
        copies.add(RowFactory.create(v[0], features, 1.0));
      }
    }
    return List.of(weighted, copies);
  }

  @Test
  void classifierWeightTwoIsTheRowTwiceAndZeroTheRowRemoved() throws IOException {
    List<List<Row>> data = weightedAndCopies("iris", 150);
    Dataset<Row> weighted = spark.createDataFrame(data.get(0), SCHEMA);
    Dataset<Row> copies = spark.createDataFrame(data.get(1), SCHEMA);
    for (int partitions : new int[] {1, 3}) {
      MlpClassifier est = new MlpClassifier().setHiddenLayers(8).setMaxIter(25).setBatchSize(0)
          .setLr(0.01).setDtype("float64").setSeed(7).setNumPartitions(partitions);
      double[] byWeight = est.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w")
          .fit(weighted).weights();
      double[] byCopies = est.fit(copies).weights();
      assertClose(byCopies, byWeight, 1e-12, "classifier, " + partitions + " partitions");
    }
  }

  @Test
  void regressorWeightTwoIsTheRowTwiceAndZeroTheRowRemoved() throws IOException {
    List<List<Row>> data = weightedAndCopies("diabetes", 120);
    Dataset<Row> weighted = spark.createDataFrame(data.get(0), SCHEMA);
    Dataset<Row> copies = spark.createDataFrame(data.get(1), SCHEMA);
    for (int partitions : new int[] {1, 3}) {
      MlpRegressor est = new MlpRegressor().setHiddenLayers(8).setMaxIter(25).setBatchSize(0)
          .setLr(0.01).setDtype("float64").setSeed(7).setStandardize(false)
          .setNumPartitions(partitions);
      double[] byWeight = est.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w")
          .fit(weighted).weights();
      double[] byCopies = est.setWeightCol("").fit(copies).weights();
      assertClose(byCopies, byWeight, 1e-12, "regressor, " + partitions + " partitions");
    }
  }

  @Test
  void badWeightsAreRefusedNamingRowColumnAndValue() {
    Object f = Vectors.dense(1, 2);
    double[] bads = {-1.0, Double.NaN, Double.POSITIVE_INFINITY};
    String[] shown = {"'-1'", "'NaN'", "'Infinity'"};
    for (int i = 0; i < bads.length; i++) {
      double bad = bads[i];
      Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(0.0, f, 1.0),
          RowFactory.create(1.0, f, bad)), SCHEMA).coalesce(1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new MlpClassifier().setWeightCol("w").setMaxIter(1).fit(df));
      assertTrue(e.getMessage().contains("sample weight") && e.getMessage().contains("'w'")
          && e.getMessage().contains(shown[i])
          && e.getMessage().contains("invalid row 1 "),
          e.getMessage());
    }
    Dataset<Row> zero = spark.createDataFrame(List.of(RowFactory.create(0.0, f, 0.0),
        RowFactory.create(1.0, f, 0.0)), SCHEMA);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MlpClassifier().setWeightCol("w").setMaxIter(1).fit(zero));
    assertTrue(e.getMessage().contains("every sample weight is 0"), e.getMessage());
    Dataset<Row> noW = spark.createDataFrame(List.of(RowFactory.create(0.0, f, 1.0)), SCHEMA)
        .drop("w");
    e = assertThrows(IllegalArgumentException.class,
        () -> new MlpClassifier().setWeightCol("w").setMaxIter(1).fit(noW));
    assertTrue(e.getMessage().contains("'w'"), e.getMessage());
  }
}
