package io.sparkmlp.cli.bench;

import java.io.Serializable;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;

/**
 * Peak heap use of the JVMs that run the partitions of an RDD (executors) and of the driver,
 * from the JVMs' own memory-pool peaks: the sum over heap pools (G1 eden, survivor, old) of
 * each pool's peak since the last reset. The pools peak at different moments, so the sum is an
 * upper bound of the true peak; the old generation's share is close to the live data. Reading
 * an executor's pools takes a one-task-per-partition job, so only executors that hold a
 * partition are seen; in local mode the driver is the executor (one JVM, id "driver").
 */
final class HeapPeaks {
  private HeapPeaks() {}

  /** One JVM's figures. */
  record Peak(String jvm, long peakBytes, long maxBytes, long gcMillis) implements Serializable {}

  /**
   * The figures of the driver and of every executor holding a partition of {@code rdd}, by
   * JVM ("driver" and executor ids); with {@code reset}, their peaks are reset after reading.
   */
  static Map<String, Peak> sample(JavaRDD<?> rdd, boolean reset) {
    Map<String, Peak> peaks = new TreeMap<>();
    peaks.put("driver", local(reset));
    List<Peak> executors =
        rdd.mapPartitions(it -> Collections.singletonList(local(reset)).iterator()).collect();
    executors.forEach(p -> peaks.merge(p.jvm(), p,
        (a, b) -> a.peakBytes() >= b.peakBytes() ? a : b));
    return peaks;
  }

  /** This JVM's figures, then (with {@code reset}) its peaks reset. */
  static Peak local(boolean reset) {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
        if (reset) {
          pool.resetPeakUsage();
        }
      }
    }
    long gc = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, bean.getCollectionTime());
    }
    SparkEnv env = SparkEnv.get();
    String id = env == null ? "driver" : env.executorId();
    return new Peak(id, peak, Runtime.getRuntime().maxMemory(), gc);
  }
}
