package io.sparkmlp.data;

import org.apache.spark.sql.SparkSession;

/** One local SparkSession shared by the data tests (starting one costs seconds). */
final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("spark-mlp-data-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
    }
    return session;
  }
}
