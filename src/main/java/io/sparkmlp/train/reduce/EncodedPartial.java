package io.sparkmlp.train.reduce;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;

/**
 * A partial sum as the job engine's tasks return it through Spark: its ranges encoded
 * ({@link PartialSum#encodeRange}) into byte arrays, so the gradient crosses Spark's result and
 * shuffle serialization as raw little-endian bytes, never as an object graph of large arrays.
 * Tree aggregation merges two of them exactly ({@link #merge}); the driver adds the last one
 * into its own {@link PartialSum} ({@link #addTo}).
 */
public final class EncodedPartial implements Externalizable {
  private static final long serialVersionUID = 1L;

  private int length;
  /** The encoded ranges; empty for the zero of an aggregation. */
  private byte[][] ranges;

  /** For deserialization. */
  public EncodedPartial() {}

  /** The empty sum of vectors of {@code length}: the zero of an aggregation. */
  public EncodedPartial(int length) {
    this.length = length;
    this.ranges = new byte[0][];
  }

  /** Encodes {@code sum}. */
  public static EncodedPartial of(PartialSum sum) {
    EncodedPartial e = new EncodedPartial(sum.length());
    e.ranges = new byte[sum.numRanges()][];
    for (int r = 0; r < e.ranges.length; r++) {
      ByteBuffer b = ByteBuffer.allocate(sum.maxEncodedBytes(r));
      sum.encodeRange(r, r == e.ranges.length - 1, b);
      e.ranges[r] = java.util.Arrays.copyOf(b.array(), b.position());
    }
    return e;
  }

  /**
   * One partition's result — summed gradient ({@code float[]} or {@code double[]}), loss sum,
   * rows, compute time — encoded as the sum of that one term.
   */
  public static EncodedPartial ofPartition(Object gradient, double lossSum, long rows,
      long computeNanos) {
    int length = gradient instanceof float[] ? ((float[]) gradient).length : ((double[]) gradient).length;
    int bytesPerValue = gradient instanceof float[] ? 4 : 8;
    EncodedPartial e = new EncodedPartial(length);
    e.ranges = new byte[Math.max(1, (length + PartialSum.RANGE - 1) / PartialSum.RANGE)][];
    for (int r = 0; r < e.ranges.length; r++) {
      boolean last = r == e.ranges.length - 1;
      ByteBuffer b = ByteBuffer.allocate(PartialSum.encodedBytesOfOne(length, r, bytesPerValue,
          last));
      PartialSum.encodeOne(gradient, lossSum, rows, computeNanos, r, last, b);
      e.ranges[r] = b.array();
    }
    return e;
  }

  /** The encoded bytes. */
  public long bytes() {
    long n = 0;
    for (byte[] r : ranges) {
      n += r.length;
    }
    return n;
  }

  public boolean isEmpty() {
    return ranges.length == 0;
  }

  /** Adds this sum exactly into {@code sum}. */
  public void addTo(PartialSum sum) {
    if (!isEmpty() && sum.length() != length) {
      throw new IllegalArgumentException("partial sum of " + length + " added to one of " + sum.length());
    }
    for (byte[] r : ranges) {
      sum.addEncodedRange(ByteBuffer.wrap(r));
    }
  }

  /** The exact sum of {@code a} and {@code b} (either may be empty). */
  public static EncodedPartial merge(EncodedPartial a, EncodedPartial b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    PartialSum sum = new PartialSum(a.length);
    a.addTo(sum);
    b.addTo(sum);
    return of(sum);
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeInt(length);
    out.writeInt(ranges.length);
    for (byte[] r : ranges) {
      out.writeInt(r.length);
      out.write(r);
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    length = in.readInt();
    int n = in.readInt();
    if (length < 0 || n < 0 || n > (length / PartialSum.RANGE) + 1) {
      throw new IOException("corrupt partial sum: length " + length + ", " + n + " ranges");
    }
    ranges = new byte[n][];
    for (int r = 0; r < n; r++) {
      int bytes = in.readInt();
      if (bytes < 0) {
        throw new IOException("corrupt partial sum: range of " + bytes + " bytes");
      }
      ranges[r] = new byte[bytes];
      in.readFully(ranges[r]);
    }
  }
}
