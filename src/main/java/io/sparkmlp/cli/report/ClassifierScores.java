package io.sparkmlp.cli.report;

import io.sparkmlp.nn.Softmax;
import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.metrics.ClassificationMetrics;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.train.Scorer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Full classification metrics (confusion matrix included) of trained weights on a labelled data
 * set, one Spark job: each partition scores its block into its own accumulator, merged on the
 * driver in partition order (as the trainer's validation does). The trainer itself only keeps
 * loss and accuracy per epoch; the report needs the whole matrix once, after training.
 */
public final class ClassifierScores {
  private ClassifierScores() {}

  /**
   * Scores {@code data} with {@code params}; the job shows in the Spark UI as
   * {@code description}.
   */
  public static ClassificationMetrics of(SparkSession spark, MLP mlp, Dtype dtype,
      double[] params, Dataset data, String description) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<double[]> weights = jsc.broadcast(params);
    jsc.setJobDescription(description);
    try {
      int k = mlp.numOutputs();
      List<ClassificationMetrics> parts = data.blocks().map((Block b) -> {
        double[] p = new Scorer(mlp, dtype, weights.value()).outputs(b);
        Softmax.inPlace(p, b.rows(), k);
        ClassificationMetrics m = new ClassificationMetrics(k);
        for (int r = 0; r < b.rows(); r++) {
          m.add(b.labels()[r], p, r * k);
        }
        return m;
      }).collect();
      ClassificationMetrics total = new ClassificationMetrics(k);
      parts.forEach(total::merge);
      return total;
    } finally {
      jsc.setJobDescription(null);
      weights.destroy();
    }
  }
}
