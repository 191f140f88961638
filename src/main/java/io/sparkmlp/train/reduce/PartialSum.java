package io.sparkmlp.train.reduce;

import io.sparkmlp.data.ExactSum;
import io.sparkmlp.nn.ParallelRanges;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exact sum of some partitions' step results — gradient vector, loss sum, row count and the
 * sum of the rows' weights (the step's divisor; equal to the row count when every row weighs 1)
 * — as one node of the reduction tree accumulates it from its own tasks and its children.
 *
 * <p>The vector is cut into fixed element ranges ({@link #RANGE}), each an {@link ExactVectorSum}
 * with its own lock: several tasks of one executor and the ranges of several children add into
 * different ranges at the same time, and a range is also the unit of the wire format (one
 * message per range, the scalars riding with a sum's last one), so partial sums of any size
 * travel in bounded messages and a tree node can send a range on as soon as it is complete.
 * Every addition is exact, so the result does not depend on which thread adds first.
 *
 * <p>A sum that is read in the JVM that computed its partitions (the executor's node in
 * {@code local[N]}, which the driver's root adopts) may <em>hold</em> float32 gradients by
 * reference instead of adding them at once ({@link #hold}): a task leaves its gradient array
 * unchanged until the next step's weights, which come only after the driver has read the sum.
 * {@link #meanTo} then adds and divides in one pass over the held vectors (exact whenever no
 * addition rounds, as is usual for a few float32 vectors in double; otherwise they are added
 * into the ranges first), instead of a widening copy, an addition per further vector and a pass
 * over the sum; everything else that reads the ranges adds the held vectors first. Either way
 * the bits are those of the exact sum.
 */
public final class PartialSum {
  private static final ExactAdd ADD = ExactAdd.INSTANCE;
  /** Elements per range: 1 MiB of float32, 2 MiB of float64 on the wire. */
  public static final int RANGE = 1 << 18;

  private final int length;
  private final int rangeSize;
  private final ExactVectorSum[] ranges;
  private final ReentrantLock[] locks;
  private final ExactSum loss = new ExactSum();
  private final ExactSum weight = new ExactSum();
  private long rows;
  private long terms;
  private long maxComputeNanos;
  /** Whether float32 partition gradients are held by reference until the sum is read. */
  private final boolean holdFloats;
  /** The held gradients, {@code held[0 .. heldCount)}; guarded by {@link #heldLock}. */
  private final Object heldLock = new Object();
  private float[][] held = new float[2][];
  private int heldCount;

  public PartialSum(int length) {
    this(length, RANGE, false);
  }

  /**
   * @param holdFloats whether float32 partition gradients may be held by reference until the
   *     sum is read ({@link #hold}; the callers keep them unchanged until then)
   */
  public PartialSum(int length, boolean holdFloats) {
    this(length, RANGE, holdFloats);
  }

  /** With ranges of {@code rangeSize} elements (tests use small ones). */
  PartialSum(int length, int rangeSize, boolean holdFloats) {
    if (length < 0 || rangeSize < 1) {
      throw new IllegalArgumentException("length " + length + ", range size " + rangeSize);
    }
    this.length = length;
    this.rangeSize = rangeSize;
    this.holdFloats = holdFloats;
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
    synchronized (heldLock) {
      Arrays.fill(held, 0, heldCount, null);
      heldCount = 0;
    }
    synchronized (this) {
      loss.clear();
      weight.clear();
      rows = 0;
      terms = 0;
      maxComputeNanos = 0;
    }
  }

  /** {@link #addPartition(Object, double, long, double, long, int)} of rows that weigh 1 each. */
  public void addPartition(Object gradient, double lossSum, long partRows, long computeNanos,
      int startRange) {
    addPartition(gradient, lossSum, partRows, partRows, computeNanos, startRange);
  }

  /**
   * Adds one partition's result: its summed gradient ({@code float[]} or {@code double[]} in the
   * parameter layout), summed loss, row count, sum of its rows' weights and compute time. Ranges
   * are visited starting at {@code startRange}, so tasks that start at different ranges rarely
   * wait for each other (or the gradient is held, {@link #hold}).
   */
  public void addPartition(Object gradient, double lossSum, long partRows, double weightSum,
      long computeNanos, int startRange) {
    addScalars(lossSum, partRows, weightSum, computeNanos);
    if (hold(gradient)) {
      return;
    }
    int n = ranges.length;
    for (int k = 0; k < n; k++) {
      addRange(Math.floorMod(startRange + k, n), gradient);
    }
  }

  /**
   * Takes one partition's gradient by reference instead of adding it into the ranges, when this
   * sum holds float32 gradients and {@code gradient} is one, and returns whether it did; the
   * caller then leaves the array unchanged until the sum has been read.
   */
  public boolean hold(Object gradient) {
    if (!holdFloats || !(gradient instanceof float[] f)) {
      return false;
    }
    checkLength(f.length);
    synchronized (heldLock) {
      if (heldCount == held.length) {
        held = Arrays.copyOf(held, 2 * heldCount);
      }
      held[heldCount++] = f;
    }
    return true;
  }

  /**
   * Adds the held gradients into the ranges (a no-op when none are held); a reader that comes
   * meanwhile waits until they are all in.
   */
  private void addHeld() {
    synchronized (heldLock) {
      for (int i = 0; i < heldCount; i++) {
        for (int k = 0; k < ranges.length; k++) {
          addRange(Math.floorMod(i + k, ranges.length), held[i]);
        }
        held[i] = null;
      }
      heldCount = 0;
    }
  }

  /**
   * Adds one partition's loss sum, rows, weight sum and compute time (its gradient goes range by
   * range).
   */
  public void addScalars(double lossSum, long partRows, double weightSum, long computeNanos) {
    addScalars(new double[] {lossSum}, new double[] {weightSum}, partRows, 1, computeNanos);
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
    other.addHeld();
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
    double[] w;
    long otherRows;
    long otherTerms;
    long otherNanos;
    synchronized (other) {
      l = other.loss.partials();
      w = other.weight.partials();
      otherRows = other.rows;
      otherTerms = other.terms;
      otherNanos = other.maxComputeNanos;
    }
    addScalars(l, w, otherRows, otherTerms, otherNanos);
  }

  private synchronized void addScalars(double[] lossPartials, double[] weightPartials, long r,
      long t, long nanos) {
    for (double p : lossPartials) {
      loss.add(p);
    }
    for (double p : weightPartials) {
      weight.add(p);
    }
    rows += r;
    terms += t;
    maxComputeNanos = Math.max(maxComputeNanos, nanos);
  }

  /** Bytes of {@link #encodeRange}'s output for range {@code r}, at most. */
  public int maxEncodedBytes(int r) {
    addHeld();
    synchronized (this) {
      return 4 + 1 + 8 + 8 + 8 + 4 + 8 * loss.partials().length + 4
          + 8 * weight.partials().length + ranges[r].maxEncodedBytes();
    }
  }

  /**
   * Encodes range {@code r} (little-endian, from {@code out}'s position): its index; with
   * {@code withScalars}, this sum's rows, partition count, slowest compute time, loss partials
   * and weight partials (a sum's scalars travel once, with the last range it sends); then the
   * range's exact vector sum.
   */
  public void encodeRange(int r, boolean withScalars, ByteBuffer out) {
    addHeld();
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(r).put((byte) (withScalars ? 1 : 0));
    if (withScalars) {
      synchronized (this) {
        double[] l = loss.partials();
        out.putLong(rows).putLong(terms).putLong(maxComputeNanos).putInt(l.length);
        for (double p : l) {
          out.putDouble(p);
        }
        double[] w = weight.partials();
        out.putInt(w.length);
        for (double p : w) {
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
      double[] l = readPartials(in, "loss");
      double[] w = readPartials(in, "weight");
      addScalars(l, w, r, t, nanos);
    }
    locks[range].lock();
    try {
      ranges[range].addEncoded(in);
    } finally {
      locks[range].unlock();
    }
    return range;
  }

  private static double[] readPartials(ByteBuffer in, String what) {
    int m = in.getInt();
    if (m < 0 || m > in.remaining() / 8) {
      throw new IllegalArgumentException("corrupt partial sum: " + m + " " + what + " partials");
    }
    double[] p = new double[m];
    for (int i = 0; i < m; i++) {
      p[i] = in.getDouble();
    }
    return p;
  }

  /** Bytes of {@link #encodeOne}'s output for range {@code r} of a vector of {@code length}. */
  static int encodedBytesOfOne(int length, int r, int bytesPerValue, boolean withScalars) {
    int count = Math.min(RANGE, length - r * RANGE);
    return 4 + 1 + (withScalars ? 8 + 8 + 8 + 4 + 8 + 4 + 8 : 0)
        + ExactVectorSum.encodedBytesOfOne(count, bytesPerValue);
  }

  /**
   * Encodes range {@code r} of the sum of exactly one partition's result, as
   * {@link #encodeRange} would after {@link #addPartition} on an empty sum, without building it.
   */
  static void encodeOne(Object gradient, double lossSum, long partRows, double weightSum,
      long computeNanos, int r, boolean withScalars, ByteBuffer out) {
    int length = gradient instanceof float[] ? ((float[]) gradient).length : ((double[]) gradient).length;
    int from = r * RANGE;
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(r).put((byte) (withScalars ? 1 : 0));
    if (withScalars) {
      out.putLong(partRows).putLong(1).putLong(computeNanos).putInt(1).putDouble(lossSum)
          .putInt(1).putDouble(weightSum);
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

  /**
   * The exact sum of the rows' weights, rounded once: the divisor of the step's weighted mean
   * (the row count, exactly, when every row weighs 1).
   */
  public synchronized double weightSum() {
    return weight.value();
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
    addHeld();
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
    synchronized (heldLock) {
      float[][] h = held;
      int count = heldCount;
      if (count > 0 && rangesEmpty() && ParallelRanges.allOf(length,
          (from, to) -> ADD.meanOfFloats(h, count, from, to - from, out, from, norm))) {
        return true; // every addition exact, every mean finite: the exact sum's bits
      }
    }
    addHeld();
    boolean finite = true;
    for (int r = 0; r < ranges.length; r++) {
      finite &= ranges[r].meanInto(out, r * rangeSize, norm);
    }
    return finite;
  }

  /** Whether nothing was added into the ranges (the held gradients are then the whole sum). */
  private boolean rangesEmpty() {
    for (ExactVectorSum r : ranges) {
      if (r.terms() != 0) {
        return false;
      }
    }
    return true;
  }

  private void checkLength(int n) {
    if (n != length) {
      throw new IllegalArgumentException("partial sum of length " + n + " used with one of " + length);
    }
  }
}
