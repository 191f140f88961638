package io.sparkmlp.train.reduce;

import io.sparkmlp.data.ExactSum;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exact sum of some partitions' step results — gradient vector, loss sum, row count — as one
 * node of the reduction tree accumulates it from its own tasks and its children.
 *
 * <p>The vector is cut into fixed element ranges ({@link #RANGE}), each an {@link ExactVectorSum}
 * with its own lock: several tasks of one executor and the ranges of several children add into
 * different ranges at the same time, and a range is also the unit of the wire format (one
 * message per range, the scalars riding with a sum's last one), so partial sums of any size
 * travel in bounded messages and a tree node can send a range on as soon as it is complete.
 * Every addition is exact, so the result does not depend on which thread adds first.
 */
public final class PartialSum {
  /** Elements per range: 1 MiB of float32, 2 MiB of float64 on the wire. */
  public static final int RANGE = 1 << 18;

  private final int length;
  private final int rangeSize;
  private final ExactVectorSum[] ranges;
  private final ReentrantLock[] locks;
  private final ExactSum loss = new ExactSum();
  private long rows;
  private long terms;
  private long maxComputeNanos;

  public PartialSum(int length) {
    this(length, RANGE);
  }

  /** With ranges of {@code rangeSize} elements (tests use small ones). */
  PartialSum(int length, int rangeSize) {
    if (length < 0 || rangeSize < 1) {
      throw new IllegalArgumentException("length " + length + ", range size " + rangeSize);
    }
    this.length = length;
    this.rangeSize = rangeSize;
    int n = Math.max(1, (int) ((length + (long) rangeSize - 1) / rangeSize));
    ranges = new ExactVectorSum[n];
    locks = new ReentrantLock[n];
    for (int r = 0; r < n; r++) {
      ranges[r] = new ExactVectorSum(Math.min(rangeSize, length - r * rangeSize));
      locks[r] = new ReentrantLock();
    }
  }

  public int length() {
    return length;
  }

  public int numRanges() {
    return ranges.length;
  }

  /** Back to zero, keeping the buffers (the caller makes sure nobody adds meanwhile). */
  public void clear() {
    for (ExactVectorSum r : ranges) {
      r.clear();
    }
    synchronized (this) {
      loss.clear();
      rows = 0;
      terms = 0;
      maxComputeNanos = 0;
    }
  }

  /**
   * Adds one partition's result: its summed gradient ({@code float[]} or {@code double[]} in the
   * parameter layout), summed loss, row count and compute time. Ranges are visited starting at
   * {@code startRange}, so tasks that start at different ranges rarely wait for each other.
   */
  public void addPartition(Object gradient, double lossSum, long partRows, long computeNanos,
      int startRange) {
    addScalars(lossSum, partRows, computeNanos);
    int n = ranges.length;
    for (int k = 0; k < n; k++) {
      addRange(Math.floorMod(startRange + k, n), gradient);
    }
  }

  /** Adds one partition's loss sum, rows and compute time (its gradient goes range by range). */
  public void addScalars(double lossSum, long partRows, long computeNanos) {
    addScalars(new double[] {lossSum}, partRows, 1, computeNanos);
  }

  /** Adds range {@code r} of one partition's gradient ({@code float[]} or {@code double[]}). */
  public void addRange(int r, Object gradient) {
    int from = r * rangeSize;
    locks[r].lock();
    try {
      if (gradient instanceof float[]) {
        ranges[r].addSlice((float[]) gradient, from);
      } else {
        ranges[r].addSlice((double[]) gradient, from);
      }
    } finally {
      locks[r].unlock();
    }
  }

  /** Adds everything {@code other} (a sum in the same JVM) holds. */
  public void addAll(PartialSum other) {
    checkLength(other.length);
    addScalarsOf(other);
    for (int r = 0; r < ranges.length; r++) {
      addRangeOf(other, r);
    }
  }

  /** Adds range {@code r} of {@code other} (a sum in the same JVM, with the same ranges). */
  public void addRangeOf(PartialSum other, int r) {
    checkLength(other.length);
    locks[r].lock();
    try {
      ranges[r].addAll(other.ranges[r]);
    } finally {
      locks[r].unlock();
    }
  }

  /** Adds the loss, rows, partition count and slowest compute time of {@code other}. */
  public void addScalarsOf(PartialSum other) {
    double[] l;
    long otherRows;
    long otherTerms;
    long otherNanos;
    synchronized (other) {
      l = other.loss.partials();
      otherRows = other.rows;
      otherTerms = other.terms;
      otherNanos = other.maxComputeNanos;
    }
    addScalars(l, otherRows, otherTerms, otherNanos);
  }

  private synchronized void addScalars(double[] lossPartials, long r, long t, long nanos) {
    for (double p : lossPartials) {
      loss.add(p);
    }
    rows += r;
    terms += t;
    maxComputeNanos = Math.max(maxComputeNanos, nanos);
  }

  /** Bytes of {@link #encodeRange}'s output for range {@code r}, at most. */
  public int maxEncodedBytes(int r) {
    synchronized (this) {
      return 4 + 1 + 8 + 8 + 8 + 4 + 8 * loss.partials().length + ranges[r].maxEncodedBytes();
    }
  }

  /**
   * Encodes range {@code r} (little-endian, from {@code out}'s position): its index; with
   * {@code withScalars}, this sum's loss partials, rows, partition count and slowest compute
   * time (a sum's scalars travel once, with the last range it sends); then the range's exact
   * vector sum.
   */
  public void encodeRange(int r, boolean withScalars, ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(r).put((byte) (withScalars ? 1 : 0));
    if (withScalars) {
      synchronized (this) {
        double[] l = loss.partials();
        out.putLong(rows).putLong(terms).putLong(maxComputeNanos).putInt(l.length);
        for (double p : l) {
          out.putDouble(p);
        }
      }
    }
    ranges[r].encode(out);
  }

  /**
   * Adds a range message written by {@link #encodeRange} of a sum of the same length (its
   * scalars first, if it carries them) and returns the range index.
   */
  public int addEncodedRange(ByteBuffer in) {
    in.order(ByteOrder.LITTLE_ENDIAN);
    int range = in.getInt();
    if (range < 0 || range >= ranges.length) {
      throw new IllegalArgumentException("corrupt partial sum: range " + range + " of "
          + ranges.length);
    }
    if (in.get() != 0) {
      long r = in.getLong();
      long t = in.getLong();
      long nanos = in.getLong();
      int m = in.getInt();
      if (m < 0 || m > in.remaining() / 8) {
        throw new IllegalArgumentException("corrupt partial sum: " + m + " loss partials");
      }
      double[] l = new double[m];
      for (int i = 0; i < m; i++) {
        l[i] = in.getDouble();
      }
      addScalars(l, r, t, nanos);
    }
    locks[range].lock();
    try {
      ranges[range].addEncoded(in);
    } finally {
      locks[range].unlock();
    }
    return range;
  }

  /** Bytes of {@link #encodeOne}'s output for range {@code r} of a vector of {@code length}. */
  static int encodedBytesOfOne(int length, int r, int bytesPerValue, boolean withScalars) {
    int count = Math.min(RANGE, length - r * RANGE);
    return 4 + 1 + (withScalars ? 8 + 8 + 8 + 4 + 8 : 0)
        + ExactVectorSum.encodedBytesOfOne(count, bytesPerValue);
  }

  /**
   * Encodes range {@code r} of the sum of exactly one partition's result, as
   * {@link #encodeRange} would after {@link #addPartition} on an empty sum, without building it.
   */
  static void encodeOne(Object gradient, double lossSum, long partRows, long computeNanos, int r,
      boolean withScalars, ByteBuffer out) {
    int length = gradient instanceof float[] ? ((float[]) gradient).length : ((double[]) gradient).length;
    int from = r * RANGE;
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(r).put((byte) (withScalars ? 1 : 0));
    if (withScalars) {
      out.putLong(partRows).putLong(1).putLong(computeNanos).putInt(1).putDouble(lossSum);
    }
    ExactVectorSum.encodeOne(gradient, from, Math.min(RANGE, length - from), out);
  }

  /** The exact loss sum, rounded once. */
  public synchronized double lossSum() {
    return loss.value();
  }

  public synchronized long rows() {
    return rows;
  }

  /** How many partitions' results this sum holds. */
  public synchronized long terms() {
    return terms;
  }

  public synchronized long maxComputeNanos() {
    return maxComputeNanos;
  }

  /** Writes the correctly rounded exact gradient sum into {@code out} (parameter layout). */
  public void roundTo(double[] out) {
    checkLength(out.length);
    for (int r = 0; r < ranges.length; r++) {
      ranges[r].roundInto(out, r * rangeSize);
    }
  }

  /**
   * Writes the mean gradient, the correctly rounded exact sum divided by {@code norm}, into
   * {@code out} in one pass, and returns whether every element is finite.
   */
  public boolean meanTo(double[] out, double norm) {
    checkLength(out.length);
    boolean finite = true;
    for (int r = 0; r < ranges.length; r++) {
      finite &= ranges[r].meanInto(out, r * rangeSize, norm);
    }
    return finite;
  }

  private void checkLength(int n) {
    if (n != length) {
      throw new IllegalArgumentException("partial sum of length " + n + " used with one of " + length);
    }
  }
}
