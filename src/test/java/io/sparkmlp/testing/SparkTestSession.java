package io.sparkmlp.testing;

import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * The local SparkSession the tests share (starting one costs seconds): {@code local[2]},
 * loopback only, no UI. Tests that need another master use {@link #withMaster}, which stops
 * the shared session first; the next {@link #get()} starts a fresh one.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session = start("local[2]");
    }
    return session;
  }

  /** Runs {@code body} in a session with {@code master} (e.g. {@code local[1]}), then stops it. */
  public static synchronized <T> T withMaster(String master, Function<SparkSession, T> body) {
    if (session != null) {
      session.stop();
      session = null;
    }
    SparkSession s = start(master);
    try {
      return body.apply(s);
    } finally {
      s.stop();
    }
  }

  private static SparkSession start(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("spark-mlp-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }
}
