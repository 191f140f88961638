package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.testing.Golden;
import io.sparkmlp.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Sparse {@code Vector} columns through the Spark ML API: fitting with {@code inputLayout}
 * sparse (CSR blocks built from the vectors) gives the dense fit's weights, and scoring sparse
 * batches gives the dense scores, float64 to 1e-12, standardised or not, for mixed dense and
 * sparse rows.
 */
class MlpSparseInputTest {
  @Test
  void sparseAndDenseLayoutsAgree() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = data(spark);
    for (boolean standardize : new boolean[] {false, true}) {
      MlpClassifier base = new MlpClassifier().setHiddenLayers(10).setMaxIter(3).setBatchSize(50)
          .setDtype("float64").setLr(0.01).setSeed(3).setStandardize(standardize)
          .setNumPartitions(2);
      MlpClassificationModel dense = base.copy(new org.apache.spark.ml.param.ParamMap())
          .setInputLayout("dense").fit(df);
      MlpClassificationModel sparse = base.copy(new org.apache.spark.ml.param.ParamMap())
          .setInputLayout("sparse").fit(df);
      Golden.assertClose(dense.weights(), sparse.weights(), 1e-12,
          "weights, standardize " + standardize);

      List<Row> d = dense.setInputLayout("dense").transform(df).select("rawPrediction")
          .collectAsList();
      List<Row> s = dense.setInputLayout("sparse").transform(df).select("rawPrediction")
          .collectAsList();
      for (int i = 0; i < d.size(); i++) {
        Golden.assertClose(((Vector) d.get(i).get(0)).toArray(),
            ((Vector) s.get(i).get(0)).toArray(), 1e-12, "row " + i);
      }
      Vector one = df.first().getAs("features");
      Golden.assertClose(((Vector) d.get(0).get(0)).toArray(), dense.predictRaw(one).toArray(),
          1e-12, "single-row scoring");
    }
  }

  /** 300 rows of 400 features, ~3 % non-zero; every 10th row a dense vector. */
  private static Dataset<Row> data(SparkSession spark) {
    SplittableRandom rng = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 300; r++) {
      List<Integer> idx = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      double signal = 0;
      for (int j = 0; j < 400; j++) {
        if (rng.nextDouble() < 0.03) {
          double v = 1 + rng.nextInt(5);
          idx.add(j);
          val.add(v);
          signal += j < 200 ? v : -v;
        }
      }
      Vector x = Vectors.sparse(400, idx.stream().mapToInt(Integer::intValue).toArray(),
          val.stream().mapToDouble(Double::doubleValue).toArray());
      rows.add(RowFactory.create(signal > 0 ? 1.0 : 0.0, r % 10 == 0 ? x.toDense() : x));
    }
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(rows, schema);
  }
}
