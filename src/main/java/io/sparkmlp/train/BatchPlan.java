package io.sparkmlp.train;

import java.util.SplittableRandom;

/**
 * Which rows form each mini-batch of an epoch, seen from one partition.
 *
 * <p>Every epoch draws one global permutation π of the N training row ids (Fisher–Yates with a
 * {@link SplittableRandom} seeded by the run's seed and the epoch; the identity without
 * shuffling). Step s of the epoch uses the rows {@code π[s·B], …, π[min((s+1)·B, N) − 1]}, so
 * every row is used exactly once per epoch and the last batch may be short, as PyTorch's
 * {@code DataLoader(shuffle=...)}. A partition holding ids {@code [first, first + rows)} keeps
 * its own rows of each batch in permutation order: {@link #localRows()} from
 * {@link #batchStart(int)} to {@link #batchStart(int) batchStart(s + 1)}.
 *
 * <p>Every partition computes the same permutation independently, so no plan is shipped and
 * the batches do not depend on the master, the order tasks run in or retries.
 */
public final class BatchPlan {
  private final int[] localRows;
  private final int[] batchStarts;

  private BatchPlan(int[] localRows, int[] batchStarts) {
    this.localRows = localRows;
    this.batchStarts = batchStarts;
  }

  /** Steps per epoch: {@code ⌈N / B⌉}. */
  public static int stepsPerEpoch(long numRows, int batchSize) {
    return (int) ((numRows + batchSize - 1) / batchSize);
  }

  /** The plan of {@code epoch} (0-based) for the partition holding ids [first, first + rows). */
  public static BatchPlan forPartition(long numRows, long first, int rows, int batchSize,
      boolean shuffle, long seed, int epoch) {
    int n = Math.toIntExact(numRows);
    int steps = stepsPerEpoch(numRows, batchSize);
    int[] perm = permutation(n, shuffle, seed, epoch);
    int[] local = new int[rows];
    int[] starts = new int[steps + 1];
    int count = 0;
    for (int s = 0; s < steps; s++) {
      starts[s] = count;
      int end = (int) Math.min((long) (s + 1) * batchSize, n);
      for (int k = s * batchSize; k < end; k++) {
        long id = perm[k] - first;
        if (id >= 0 && id < rows) {
          local[count++] = (int) id;
        }
      }
    }
    starts[steps] = count;
    return new BatchPlan(local, starts);
  }

  /** The epoch's permutation of {@code 0..n−1}: seeded Fisher–Yates, or the identity. */
  static int[] permutation(int n, boolean shuffle, long seed, int epoch) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
    }
    return perm;
  }

  /** Local row indices (0-based within the partition), batch after batch. */
  public int[] localRows() {
    return localRows;
  }

  /** Start of step {@code s}'s rows in {@link #localRows()}; {@code s} may be the step count. */
  public int batchStart(int s) {
    return batchStarts[s];
  }

  /** The most rows this partition contributes to any one step. */
  public int maxBatchRows() {
    int max = 0;
    for (int s = 0; s + 1 < batchStarts.length; s++) {
      max = Math.max(max, batchStarts[s + 1] - batchStarts[s]);
    }
    return max;
  }
}
