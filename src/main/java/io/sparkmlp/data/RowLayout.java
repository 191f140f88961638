package io.sparkmlp.data;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where every parsed row goes, decided on the driver from the chunk counts: its global id (files
 * by path, then file order), whether it is held out for validation, and its id within its part.
 *
 * <p>Only per-chunk numbers and one bit per row (the validation set) are kept; tasks derive each
 * row's ids by walking their chunk in order. Ids never depend on how the input was split.
 */
final class RowLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  final long numRows;
  final long numTrain;
  final long numValidation;
  /** Indexed [partition][seq] of the parsed chunk: global id of its first row. */
  final long[][] base;
  /** Training / validation id of the chunk's first row of that part. */
  final long[][] trainBase;
  final long[][] valBase;
  /** Bit g set: global row g is a validation row. Null when there is no validation part. */
  final long[] valBits;

  private RowLayout(long numRows, long numValidation, long[][] base, long[][] trainBase,
      long[][] valBase, long[] valBits) {
    this.numRows = numRows;
    this.numValidation = numValidation;
    this.numTrain = numRows - numValidation;
    this.base = base;
    this.trainBase = trainBase;
    this.valBase = valBase;
    this.valBits = valBits;
  }

  /**
   * Plans the ids. {@code ordered} are all chunks in global order; {@code partitions} the parsed
   * RDD's partition count. The validation part is {@code round(fraction * N)} rows: the first
   * that many positions of a Fisher-Yates shuffle of the ids 0..N-1 driven by
   * {@code new SplittableRandom(seed)} (for i = 0.. : swap position i with i + nextInt(N - i)).
   */
  static RowLayout plan(List<ChunkSummary> ordered, int partitions, double fraction, long seed) {
    long n = 0;
    for (ChunkSummary c : ordered) {
      n += c.rows;
    }
    long numVal = fraction > 0 ? Math.round(fraction * n) : 0;
    return plan(ordered, partitions, fraction > 0 ? validationBits(n, numVal, seed) : null);
  }

  /**
   * Plans the ids with the validation rows marked in the data: each chunk's
   * {@link ChunkSummary#heldOut} bits, in global order.
   */
  static RowLayout planMarked(List<ChunkSummary> ordered, int partitions) {
    long n = 0;
    for (ChunkSummary c : ordered) {
      n += c.rows;
    }
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a validation indicator over " + n
          + " rows is not supported (at most 2^31 rows)");
    }
    long[] bits = new long[(int) ((n + 63) >>> 6)];
    long g = 0;
    for (ChunkSummary c : ordered) {
      for (int r = 0; r < c.rows; r++, g++) {
        if (isSet(c.heldOut, r)) {
          bits[(int) (g >>> 6)] |= 1L << g;
        }
      }
    }
    return plan(ordered, partitions, bits);
  }

  /** Plans the ids with validation rows {@code bits} (null: none). */
  private static RowLayout plan(List<ChunkSummary> ordered, int partitions, long[] bits) {
    int[] perPartition = new int[partitions];
    for (ChunkSummary c : ordered) {
      perPartition[c.partition] = Math.max(perPartition[c.partition], c.seq + 1);
    }
    long[][] base = new long[partitions][];
    long[][] trainBase = new long[partitions][];
    long[][] valBase = new long[partitions][];
    for (int p = 0; p < partitions; p++) {
      base[p] = new long[perPartition[p]];
      trainBase[p] = new long[perPartition[p]];
      valBase[p] = new long[perPartition[p]];
    }
    long n = 0;
    for (ChunkSummary c : ordered) {
      base[c.partition][c.seq] = n;
      n += c.rows;
    }
    long numVal = bits == null ? 0 : countBits(bits, 0, n);
    long val = 0;
    for (ChunkSummary c : ordered) {
      long b = base[c.partition][c.seq];
      valBase[c.partition][c.seq] = val;
      trainBase[c.partition][c.seq] = b - val;
      if (bits != null) {
        val += countBits(bits, b, b + c.rows);
      }
    }
    return new RowLayout(n, numVal, base, trainBase, valBase, bits);
  }

  /** The validation set as a bit set: the first {@code k} of a seeded Fisher-Yates shuffle. */
  static long[] validationBits(long n, long k, long seed) {
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a validation split of " + n
          + " rows is not supported (at most 2^31 rows); load a separate validation file");
    }
    int size = (int) n;
    int[] perm = new int[size];
    for (int i = 0; i < size; i++) {
      perm[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] bits = new long[(size + 63) >>> 6];
    for (int i = 0; i < k; i++) {
      int j = i + rnd.nextInt(size - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
      bits[perm[i] >>> 6] |= 1L << perm[i];
    }
    return bits;
  }

  static boolean isSet(long[] bits, long g) {
    return (bits[(int) (g >>> 6)] & (1L << g)) != 0;
  }

  /** Number of set bits in [from, to). */
  static long countBits(long[] bits, long from, long to) {
    long count = 0;
    for (long g = from; g < to; ) {
      int w = (int) (g >>> 6);
      int lo = (int) (g & 63);
      int hi = (int) Math.min(64, lo + (to - g));
      long mask = hi == 64 ? -1L << lo : ((1L << hi) - 1) & (-1L << lo);
      count += Long.bitCount(bits[w] & mask);
      g += hi - lo;
    }
    return count;
  }

  boolean isValidation(long g) {
    return valBits != null && isSet(valBits, g);
  }

  /** Start ids of {@code p} equal ranges over {@code n} rows (p + 1 entries, last = n). */
  static long[] ranges(long n, int p) {
    long[] s = new long[p + 1];
    long q = n / p;
    long r = n % p;
    for (int i = 0; i <= p; i++) {
      s[i] = i * q + (i * r) / p;
    }
    return s;
  }
}
