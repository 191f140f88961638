package io.sparkmlp.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * A test hook of the stage engine: with the Spark conf {@value #CONF} set to a seed, the
 * partitions are dealt to the stage's tasks in a seeded random order and without locality
 * preferences, so the scheduler puts them on arbitrary executors. Results must not change: the
 * reduction is exact, whatever executor holds which partition.
 */
final class ShuffledPlacement implements PartitionCoalescer, Serializable {
  static final String CONF = "spark.mlp.test.shufflePlacement";
  private static final long serialVersionUID = 1L;

  private final long seed;

  ShuffledPlacement(long seed) {
    this.seed = seed;
  }

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    List<Partition> parts = new ArrayList<>(List.of(parent.partitions()));
    Collections.shuffle(parts, new Random(seed));
    int groups = Math.min(maxPartitions, parts.size());
    PartitionGroup[] g = new PartitionGroup[groups];
    for (int i = 0; i < groups; i++) {
      g[i] = new PartitionGroup(Option.empty());
    }
    for (int i = 0; i < parts.size(); i++) {
      g[i % groups].partitions().addOne(parts.get(i));
    }
    return g;
  }
}
