package io.sparkmlp.train.reduce;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Which reduction tree a message belongs to: the training run and the launch (generation) of its
 * stage. A relaunch after a failure builds a new tree under a new generation, so messages of the
 * old tree that are still on their way are recognised and dropped.
 */
public final class RunKey implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int BYTES = 8 + 8 + 4;

  private final long runHigh;
  private final long runLow;
  private final int generation;

  public RunKey(UUID run, int generation) {
    this(run.getMostSignificantBits(), run.getLeastSignificantBits(), generation);
  }

  private RunKey(long runHigh, long runLow, int generation) {
    this.runHigh = runHigh;
    this.runLow = runLow;
    this.generation = generation;
  }

  public int generation() {
    return generation;
  }

  /** Whether {@code other} is an earlier launch of the same run. */
  boolean supersedes(RunKey other) {
    return runHigh == other.runHigh && runLow == other.runLow && generation > other.generation;
  }

  void put(ByteBuffer out) {
    out.putLong(runHigh).putLong(runLow).putInt(generation);
  }

  static RunKey read(ByteBuffer in) {
    return new RunKey(in.getLong(), in.getLong(), in.getInt());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunKey && ((RunKey) o).runHigh == runHigh && ((RunKey) o).runLow == runLow
        && ((RunKey) o).generation == generation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(runHigh, runLow, generation);
  }

  @Override
  public String toString() {
    return new UUID(runHigh, runLow) + "#" + generation;
  }
}
