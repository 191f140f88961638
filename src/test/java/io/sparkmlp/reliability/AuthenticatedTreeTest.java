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
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The reduction tree's own servers on a cluster with {@code spark.authenticate} and
 * {@code spark.network.crypto.enabled}: executors authenticate to each other and to the driver
 * with the application's secret and encrypt the traffic, as Spark's block transfer does, and the
 * model is the one of {@code local[2]}.
 */
class AuthenticatedTreeTest {
  private static final String DIGITS = Paths.get("data-samples/digits.csv").toAbsolutePath()
      .toString();

  private static double[] train(SparkSession spark) {
    Split split = DataLoader.load(spark, DataSpec.of(DIGITS), LoadOptions.defaults()
        .withPartitions(2).withStandardize(true).withSeed(5));
    try {
      TrainResult r = new Trainer(spark, new TrainConfig().hidden(16).batchSize(100).epochs(1)
          .seed(5).stepEngine(TrainConfig.StepEngineKind.STAGE))
          .fit(split.train(), null, null, TrainingListener.NONE);
      assertEquals("stage", r.engine);
      return r.params;
    } finally {
      split.unpersist();
    }
  }

  @Test
  void authenticatedAndEncryptedTreeGivesTheLocalModel() throws Exception {
    double[] local = train(SparkTestSession.get());
    Map<String, String> conf = Map.of("spark.authenticate", "true",
        "spark.authenticate.secret", "spark-mlp-test-secret",
        "spark.network.crypto.enabled", "true",
        "spark.mlp.fanIn", "2",
        "spark.executor.extraClassPath", System.getProperty("java.class.path"));
    Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
    conf.forEach(System::setProperty);
    try {
      double[] cluster = SparkTestSession.withMaster("local-cluster[2,1,1024]",
          AuthenticatedTreeTest::train);
      assertArrayEquals(local, cluster);
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
  }
}
