package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.testing.SparkTestSession;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainResult;
import io.sparkmlp.train.Trainer;
import io.sparkmlp.train.TrainingListener;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The reproducibility guarantee of the exact reduction: for a fixed partition count (8), the
 * model has the same bits on {@code local[8]} and on 2, 4 and 8 single-core executor JVMs, with
 * both step engines, with reduction trees of one, two and three levels (fan-in 2), and with
 * the partitions dealt to the stage's tasks in a shuffled order. With 2 and 4 single-core
 * executors the stage engine runs 8 partitions in fewer tasks; with fan-in 2 the job engine
 * merges through Spark's tree aggregation and the stage engine through a tree of executors.
 */
class ClusterShapeTest {
  private static final String DIGITS = Paths.get("data-samples/digits.csv").toAbsolutePath()
      .toString();

  private static double[] train(SparkSession spark, TrainConfig.StepEngineKind engine) {
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults()
        .withPartitions(8).withStandardize(true).withValidationFraction(0.2).withSeed(7));
    try {
      TrainResult r = new Trainer(spark, new TrainConfig().hidden(24).batchSize(160).epochs(2)
          .lr(0.003).seed(7).stepEngine(engine))
          .fit(split.train(), split.validation(), null, TrainingListener.NONE);
      assertEquals(engine == TrainConfig.StepEngineKind.JOB ? "job" : "stage", r.engine);
      return r.params;
    } finally {
      split.unpersist();
    }
  }

  /** SHA-256 of the weights as model.safetensors stores them (float32, little-endian). */
  private static String sha256(double[] params) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double p : params) {
      b.putFloat((float) p);
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }

  /** Trains with both engines on {@code master} with the given Spark confs set. */
  private static Map<String, double[]> runs(String master, Map<String, String> conf) {
    conf.forEach(System::setProperty);
    try {
      return SparkTestSession.withMaster(master, spark -> {
        Map<String, double[]> r = new LinkedHashMap<>();
        r.put(master + " " + conf + " stage", train(spark, TrainConfig.StepEngineKind.STAGE));
        r.put(master + " " + conf + " job", train(spark, TrainConfig.StepEngineKind.JOB));
        return r;
      });
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void sameModelBitsOnAnyNumberOfExecutorsTreeAndPlacement() throws Exception {
    Map<String, double[]> all = new LinkedHashMap<>();
    all.putAll(runs("local[8]", Map.of()));
    all.putAll(runs("local[8]", Map.of("spark.mlp.fanIn", "2",
        "spark.mlp.test.shufflePlacement", "1")));
    Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
    System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    try {
      all.putAll(runs("local-cluster[2,1,1024]", Map.of("spark.mlp.fanIn", "2")));
      all.putAll(runs("local-cluster[4,1,1024]", Map.of("spark.mlp.fanIn", "2",
          "spark.mlp.test.shufflePlacement", "2")));
      all.putAll(runs("local-cluster[8,1,1024]", Map.of("spark.mlp.fanIn", "2",
          "spark.mlp.test.shufflePlacement", "3")));
    } finally {
      System.clearProperty("spark.executor.extraClassPath");
    }
    String first = all.keySet().iterator().next();
    double[] reference = all.get(first);
    String hash = sha256(reference);
    for (Map.Entry<String, double[]> e : all.entrySet()) {
      assertArrayEquals(reference, e.getValue(), e.getKey() + " vs " + first);
      assertEquals(hash, sha256(e.getValue()), e.getKey());
    }
  }
}
