package io.sparkmlp.data;

import org.apache.spark.sql.SparkSession;

/** The data tests' handle on the session all tests share ({@link io.sparkmlp.testing.SparkTestSession}). */
final class SparkTestSession {
  private SparkTestSession() {}

  static SparkSession get() {
    return io.sparkmlp.testing.SparkTestSession.get();
  }
}
