package io.sparkmlp.train;

import java.util.Locale;

/**
 * How often a checkpoint is written: every {@code N} optimizer steps ({@code "500"}) or every
 * {@code N} epochs ({@code "2e"}). A step checkpoint that falls on an epoch's last step is
 * written once that epoch's validation and early-stopping bookkeeping are done, so it records
 * the finished epoch; an epoch checkpoint always does.
 */
public final class CheckpointEvery {
  private final long count;
  private final boolean epochs;

  private CheckpointEvery(long count, boolean epochs) {
    this.count = count;
    this.epochs = epochs;
  }

  /** Every {@code n} optimizer steps. */
  public static CheckpointEvery steps(long n) {
    return new CheckpointEvery(positive(n, Long.toString(n)), false);
  }

  /** Every {@code n} epochs. */
  public static CheckpointEvery epochs(int n) {
    return new CheckpointEvery(positive(n, n + "e"), true);
  }

  /** Parses {@code "N"} (steps) or {@code "Ne"} (epochs), N ≥ 1. */
  public static CheckpointEvery parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    boolean perEpoch = t.endsWith("e");
    String digits = perEpoch ? t.substring(0, t.length() - 1) : t;
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("checkpoint interval '" + text
          + "' is neither N (optimizer steps) nor Ne (epochs), e.g. 500 or 2e");
    }
    if (perEpoch && n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("checkpoint interval '" + text + "' is too many epochs");
    }
    return new CheckpointEvery(positive(n, text), perEpoch);
  }

  private static long positive(long n, String text) {
    if (n < 1) {
      throw new IllegalArgumentException("checkpoint interval must be >= 1, got '" + text + "'");
    }
    return n;
  }

  /** Whether to save after {@code globalStep}, a step that is not the last of its epoch. */
  boolean afterStep(long globalStep) {
    return !epochs && globalStep % count == 0;
  }

  /** Whether to save after epoch {@code epochsDone} (1-based) whose last step was {@code globalStep}. */
  boolean afterEpoch(int epochsDone, long globalStep) {
    return epochs ? epochsDone % count == 0 : globalStep % count == 0;
  }

  @Override
  public String toString() {
    return epochs ? count + "e" : Long.toString(count);
  }
}
