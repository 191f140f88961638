package io.sparkmlp.cli.bench;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The synthetic classification set the timings run on, built in-process (no file to ship or
 * parse, and the load is not what is measured): features uniform in [0, 1), labels the argmax
 * of a random teacher network (features → 32 tanh units → classes), so there is structure a
 * student network can learn. Row {@code i} depends only on the seed and {@code i}, not on the
 * partitioning.
 */
final class SyntheticData {
  private static final int TEACHER_HIDDEN = 32;

  private SyntheticData() {}

  /**
   * A cached, materialised DataFrame of {@code rows} rows in {@code partitions} partitions:
   * {@code label} (double class index) and {@code features} (Spark ML dense vector).
   */
  static Dataset<Row> frame(SparkSession spark, long rows, int features, int classes,
      int partitions, long seed) {
    Teacher teacher = new Teacher(features, classes, seed);
    JavaRDD<Row> data = spark.range(0, rows, 1, partitions).javaRDD()
        .map(id -> teacher.row(id));
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    Dataset<Row> df = spark.createDataFrame(data, schema).persist(StorageLevel.MEMORY_AND_DISK());
    df.count();
    return df;
  }

  /** The random teacher network; serializable, so tasks build rows where they run. */
  private static final class Teacher implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int features;
    private final int classes;
    private final long seed;
    private final double[] w1;
    private final double[] w2;

    Teacher(int features, int classes, long seed) {
      this.features = features;
      this.classes = classes;
      this.seed = seed;
      SplittableRandom rng = new SplittableRandom(seed);
      w1 = gaussian(rng, TEACHER_HIDDEN * features, 3.0 / Math.sqrt(features));
      w2 = gaussian(rng, classes * TEACHER_HIDDEN, 1.0 / Math.sqrt(TEACHER_HIDDEN));
    }

    Row row(long id) {
      SplittableRandom rng = new SplittableRandom(seed ^ (id * 0x9E3779B97F4A7C15L + 1));
      double[] x = new double[features];
      for (int i = 0; i < features; i++) {
        x[i] = rng.nextDouble();
      }
      double[] h = new double[TEACHER_HIDDEN];
      for (int j = 0; j < TEACHER_HIDDEN; j++) {
        double z = 0;
        for (int i = 0; i < features; i++) {
          z += w1[j * features + i] * (x[i] - 0.5);
        }
        h[j] = Math.tanh(z);
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        double score = 0;
        for (int j = 0; j < TEACHER_HIDDEN; j++) {
          score += w2[k * TEACHER_HIDDEN + j] * h[j];
        }
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      }
      return RowFactory.create((double) best, Vectors.dense(x));
    }

    private static double[] gaussian(SplittableRandom rng, int n, double scale) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        double u = Math.max(rng.nextDouble(), Double.MIN_VALUE);
        v[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
      }
      return v;
    }
  }
}
