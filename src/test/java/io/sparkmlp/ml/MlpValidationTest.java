package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
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
import org.junit.jupiter.api.function.Executable;

class MlpValidationTest {
  private static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType)
      .add("features", SQLDataTypes.VectorType());
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.get();
  }

  private static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void paramsRejectBadValuesNamingThem() {
    MlpClassifier c = new MlpClassifier();
    String m = error(() -> c.setLr(-0.5));
    assertTrue(m.contains("lr") && m.contains("-0.5"), m);
    m = error(() -> c.setActivation("swish"));
    assertTrue(m.contains("activation") && m.contains("swish"), m);
    m = error(() -> c.setHiddenLayers(64, 0));
    assertTrue(m.contains("hiddenLayers") && m.contains("0"), m);
    m = error(() -> c.setValidationFraction(1.0));
    assertTrue(m.contains("validationFraction") && m.contains("1.0"), m);
    m = error(() -> c.setBatchSize(-1));
    assertTrue(m.contains("batchSize") && m.contains("-1"), m);
    m = error(() -> c.setBeta2(1.0));
    assertTrue(m.contains("beta2"), m);
    m = error(() -> new MlpRegressor().setDtype("float16"));
    assertTrue(m.contains("dtype") && m.contains("float16"), m);
    assertEquals(0.001, c.getLr());
    assertEquals(128, c.getBatchSize());
    assertEquals(10, c.getMaxIter());
  }

  @Test
  void trainerChecksCombinationsAtFitTime() {
    Dataset<Row> data = rows(row(0, 1, 2), row(1, 2, 1));
    String m = error(() -> new MlpClassifier().setEarlyStoppingPatience(3).fit(data));
    assertEquals("earlyStoppingPatience 3 needs validationFraction > 0 or a validationIndicatorCol",
        m);
    m = error(() -> new MlpClassifier().setLr(Double.POSITIVE_INFINITY).fit(data));
    assertEquals("learning rate must be > 0, got Infinity", m);
  }

  @Test
  void schemaErrorsNameTheColumn() {
    Dataset<Row> data = rows(row(0, 1, 2), row(1, 2, 1));
    String m = error(() -> new MlpClassifier().setFeaturesCol("nope").fit(data));
    assertEquals("features column 'nope' does not exist (columns: label, features)", m);
    m = error(() -> new MlpRegressor().setFeaturesCol("label").fit(data));
    assertTrue(m.startsWith("features column 'label' must be of Spark ML's vector type"), m);
    Dataset<Row> textLabels = data.withColumn("label", data.col("label").cast("string"));
    m = error(() -> new MlpClassifier().fit(textLabels));
    assertEquals("label column 'label' must be numeric, not string", m);

    MlpClassificationModel model = new MlpClassifier().setHiddenLayers().setMaxIter(1)
        .fit(data);
    Dataset<Row> wide = data.withColumn("features", data.col("features")
        .as("features", new AttributeGroup("features", 3).toMetadata()));
    m = error(() -> model.transform(wide));
    assertEquals("features column 'features' holds vectors of size 3 (from its metadata), the "
        + "model expects 2", m);
    m = error(() -> model.setPredictionCol("label").transform(data));
    assertEquals("output column 'label' already exists", m);
  }

  @Test
  void invalidRowsAreReportedByPosition() {
    String m = error(() -> new MlpClassifier().fit(
        rows(row(0, 1, 2), row(1, 2, 1), row(1, Double.NaN, 1))));
    assertEquals("invalid row 2 of the DataFrame (0-based, in DataFrame order): feature value "
        + "is NaN or infinite (column 'features', value 'element 0 = NaN')", m);
    m = error(() -> new MlpClassifier().fit(rows(row(0, 1, 2), row(1.5, 2, 1))));
    assertEquals("invalid row 1 of the DataFrame (0-based, in DataFrame order): class label "
        + "must be an integer for classification (column 'label', value '1.5')", m);
    m = error(() -> new MlpRegressor().fit(rows(row(0, 1, 2), row(1, 2, 1),
        RowFactory.create(3.0, Vectors.dense(1, 2, 3)))));
    assertTrue(m.startsWith("invalid row 2 of the DataFrame (0-based, in DataFrame order): "
        + "features vector has 3 elements, expected 2"), m);
    m = error(() -> new MlpClassifier().fit(rows(row(4, 1, 2), row(4, 2, 1))));
    assertEquals("classification needs at least 2 distinct labels; column 'label' has only [4]",
        m);
  }

  private static Row row(double label, double... features) {
    return RowFactory.create(label, Vectors.dense(features));
  }

  private static Dataset<Row> rows(Row... rows) {
    return spark.createDataFrame(List.of(rows), SCHEMA);
  }
}
