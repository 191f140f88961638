package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Executors without a GPU resource (local mode): {@code auto} trains on the CPU kernels to the
 * bit of {@code cpu}, under both step engines; {@code gpu} fails the run naming the reason.
 */
class DeviceFallbackTest {

  @Test
  void autoWithoutAGpuIsTheCpuToTheBit() {
    SparkSession spark = SparkTestSession.get();
    Split split = DataLoader.load(spark, DataSpec.of("data-samples/digits.csv"),
        LoadOptions.defaults().withPartitions(2).withStandardize(true).withSeed(3));
    try {
      for (TrainConfig.StepEngineKind engine : new TrainConfig.StepEngineKind[] {
          TrainConfig.StepEngineKind.JOB, TrainConfig.StepEngineKind.STAGE}) {
        double[] cpu = train(spark, split, engine, Device.CPU);
        double[] auto = train(spark, split, engine, Device.AUTO);
        assertArrayEquals(cpu, auto, engine + ": auto without a GPU must be the CPU path");
      }
      Exception e = assertThrows(Exception.class,
          () -> train(spark, split, TrainConfig.StepEngineKind.JOB, Device.GPU));
      assertTrue(causes(e).contains("--device gpu, but no GPU resource assigned to the task"),
          causes(e));
    } finally {
      split.unpersist();
    }
  }

  private static double[] train(SparkSession spark, Split split, TrainConfig.StepEngineKind engine,
      Device device) {
    TrainConfig config = new TrainConfig().hidden(16).batchSize(200).epochs(1).seed(3)
        .stepEngine(engine).device(device);
    return new Trainer(spark, config).fit(split.train(), null, null, TrainingListener.NONE).params;
  }

  private static String causes(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" / ");
    }
    return sb.toString();
  }
}
