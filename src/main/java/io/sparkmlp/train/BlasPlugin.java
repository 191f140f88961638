package io.sparkmlp.train;

import io.sparkmlp.blas.Blas;
import io.sparkmlp.blas.BlasSetting;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Chooses the BLAS of the driver and of every executor JVM when it starts, before any task
 * runs, with the Spark conf {@value BlasSetting#PROPERTY} (so one {@code --conf} reaches every
 * node) and logs the choice there once. Registered by {@code submit.sh} through
 * {@code spark.plugins.defaultList}; elsewhere add it to {@code spark.plugins}. Without it
 * each JVM still chooses before its first kernel ({@link Blas#get()}), from the system property
 * or environment variable.
 */
public final class BlasPlugin implements SparkPlugin {

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(SparkContext sc, PluginContext ctx) {
        choose(ctx.conf());
        return Map.of();
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        choose(ctx.conf());
      }
    };
  }

  private static void choose(SparkConf conf) {
    Blas.select(BlasSetting.resolve(conf.get(BlasSetting.PROPERTY, null)));
  }
}
