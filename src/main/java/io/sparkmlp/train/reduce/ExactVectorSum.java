package io.sparkmlp.train.reduce;

import io.sparkmlp.data.ExactSum;
import io.sparkmlp.nn.ParallelRanges;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The exact element-wise sum of a multiset of vectors, rounded once: the reproducible
 * cross-partition gradient sum.
 *
 * <p>Why exact: partitions' gradients are pre-summed on their executors and travel up a tree
 * whose shape depends on how many executors there are and which partitions each holds. A plain
 * floating-point sum depends on that grouping in its last bits. Here every element's sum is
 * kept exactly, so {@link #roundTo} returns {@code RN(Σ x)} — the exact sum rounded to the
 * nearest double — whatever the order or grouping of the additions: the same bits on any
 * cluster shape for the same multiset of partition gradients.
 *
 * <p>How: element i holds {@code hi[i] + lo[i] + spill(i)} exactly. Adding {@code b} runs
 * Knuth's TwoSum, {@code s = fl(hi + b)}, {@code e = (hi + b) − s} (exact), then adds {@code e}
 * into {@code lo} the same way; an error of that second addition (rare: it needs lo's terms to
 * span more than 53 bits) goes to an {@link ExactSum} per element. Sums of float32 gradients
 * almost never leave {@code hi} (a double holds a sum of floats exactly while their exponents
 * span less than ~29 bits), so the common case costs one TwoSum per element. Rounding is then
 * {@code fl(hi + lo)}, which IEEE arithmetic defines as the correctly rounded exact sum, or
 * {@link ExactSum#value} where an element spilled.
 *
 * <p>Non-finite values: a NaN or infinite input or an overflowing partial sum makes that
 * element non-finite (NaN or ±∞), which training reports as divergence. Finite sums whose
 * partial sums stay below {@code Double.MAX_VALUE} are exact and reproducible; float32 inputs
 * can never overflow a double.
 *
 * <p>Encoding ({@link #encode}, {@link #addEncoded}): little-endian; {@link PartialSum} cuts long
 * vectors into ranges, each encoded on its own, so messages stay bounded and are merged range by
 * range as they arrive. A sum of exactly one float32 vector is sent as float32 (4 bytes per element);
 * otherwise {@code hi} as float64, {@code lo} sparse or dense, whichever is smaller, and the
 * spilled partials of each spilled element.
 *
 * <p>Cost: one vectorized pass per added vector ({@link ExactAdd}); {@link #clear} is free (the
 * next vector overwrites instead of adding). Not thread-safe.
 */
public final class ExactVectorSum {
  /** First int of an encoding: "EXS" and format version 1. */
  static final int MAGIC = 0x45585301;
  private static final byte HI_F32 = 4;
  private static final byte HI_F64 = 8;
  private static final byte LO_NONE = 0;
  private static final byte LO_SPARSE = 1;
  private static final byte LO_DENSE = 2;
  /** Bytes of the encoding's header: magic, length, terms, hi type, lo mode. */
  static final int HEADER_BYTES = 4 + 4 + 8 + 1 + 1;
  private static final ExactAdd ADD = ExactAdd.INSTANCE;

  private final int length;
  /** The rounded running sums; meaningless while {@code terms == 0}. */
  private final double[] hi;
  /** The rounding errors of hi, exactly; holds data only while {@code loLive}. */
  private double[] lo;
  private boolean loLive;
  /** Elements whose {@code lo} additions were not exact: their remaining exact parts. */
  private final Map<Integer, ExactSum> spill = new HashMap<>();
  private final ExactAdd.ErrorSink carry = this::carry;
  private final ExactAdd.ErrorSink spillSink = this::spill;
  /** How many vectors were added (summed over merged sums). */
  private long terms;
  /** Whether the sum is exactly one float32 vector (hi then holds floats, lo nothing). */
  private boolean oneFloatVector;

  public ExactVectorSum(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    this.length = length;
    this.hi = new double[length];
  }

  public int length() {
    return length;
  }

  /** How many vectors this sum holds (merged sums count theirs). */
  public long terms() {
    return terms;
  }

  /** Back to the empty sum, keeping the buffers (the next vector overwrites them). */
  public void clear() {
    terms = 0;
    loLive = false;
    spill.clear();
    oneFloatVector = false;
  }

  /** Adds {@code x} (float32, as computed by a float32 kernel) exactly. */
  public void add(float[] x) {
    checkLength(x.length);
    addSlice(x, 0);
  }

  /** Adds {@code x} exactly. */
  public void add(double[] x) {
    checkLength(x.length);
    addSlice(x, 0);
  }

  /** Adds the slice {@code x[from .. from + length())} exactly, as one more vector. */
  public void addSlice(float[] x, int from) {
    checkSlice(x.length, from);
    if (terms == 0) { // into the empty sum: 0 + x is exact (and never −0)
      ADD.setFloats(hi, 0, x, from, length);
      oneFloatVector = true;
    } else {
      ADD.addFloats(hi, 0, x, from, length, carry);
      oneFloatVector = false;
    }
    terms++;
  }

  /** Adds the slice {@code x[from .. from + length())} exactly, as one more vector. */
  public void addSlice(double[] x, int from) {
    checkSlice(x.length, from);
    if (terms == 0) {
      for (int i = 0; i < length; i++) {
        hi[i] = x[from + i] + 0.0;
      }
    } else {
      addDoubles(x, from, 0, length);
    }
    oneFloatVector = false;
    terms++;
  }

  /** Adds everything {@code other} holds, exactly. */
  public void addAll(ExactVectorSum other) {
    checkLength(other.length);
    if (other.terms == 0) {
      return;
    }
    if (terms == 0) {
      System.arraycopy(other.hi, 0, hi, 0, length);
    } else {
      addDoubles(other.hi, 0, 0, length);
    }
    if (other.loLive) {
      addDoubles(other.lo, 0, 0, length);
    }
    for (Map.Entry<Integer, ExactSum> e : other.spill.entrySet()) {
      for (double p : e.getValue().partials()) {
        addAt(e.getKey(), p);
      }
    }
    oneFloatVector = terms == 0 && other.oneFloatVector;
    terms += other.terms;
  }

  /** Adds {@code x[from .. from+count)} exactly into elements {@code [offset, offset+count)}. */
  private void addDoubles(double[] x, int from, int offset, int count) {
    ADD.addDoubles(hi, liveLo(), offset, x, from, count, spillSink);
  }

  /** Adds one value exactly into element {@code i}. */
  private void addAt(int i, double b) {
    double e = ExactAdd.addInto(hi, i, b);
    if (e != 0.0) {
      carry(i, e);
    }
  }

  /** {@code lo}, zeroed and live. */
  private double[] liveLo() {
    if (lo == null) {
      lo = new double[length];
    } else if (!loLive) {
      Arrays.fill(lo, 0.0);
    }
    loLive = true;
    return lo;
  }

  /** Adds the rounding error {@code e} of element {@code i}'s hi into its lo, exactly. */
  private void carry(int i, double e) {
    if (!Double.isFinite(e)) {
      return; // hi[i] is NaN or ±∞ already, and stays so
    }
    double f = ExactAdd.addInto(liveLo(), i, e);
    if (f != 0.0) {
      spill(i, f);
    }
  }

  /** Keeps {@code f}, the rounding error of element {@code i}'s lo, exactly. */
  private void spill(int i, double f) {
    if (Double.isFinite(f)) {
      spill.computeIfAbsent(i, k -> new ExactSum()).add(f);
    }
  }

  /** Element {@code i}'s exact sum, correctly rounded to a double. */
  public double value(int i) {
    if (terms == 0) {
      return 0.0;
    }
    if (!loLive) {
      return hi[i];
    }
    ExactSum s = spill.isEmpty() ? null : spill.get(i);
    if (s == null || !Double.isFinite(hi[i])) {
      return hi[i] + lo[i];
    }
    ExactSum all = new ExactSum();
    all.addAll(s);
    all.add(lo[i]);
    all.add(hi[i]);
    return all.value();
  }

  /** Writes every element's correctly rounded exact sum into {@code out}. */
  public void roundTo(double[] out) {
    checkLength(out.length);
    roundInto(out, 0);
  }

  /** Writes every element's correctly rounded exact sum into {@code out[offset ..]}. */
  public void roundInto(double[] out, int offset) {
    meanInto(out, offset, 1.0);
  }

  /**
   * Writes every element's correctly rounded exact sum divided by {@code norm} into
   * {@code out[offset ..]} (one pass, cut into ranges on several cores when long: the driver's
   * mean gradient) and returns whether all are finite.
   */
  public boolean meanInto(double[] out, int offset, double norm) {
    if (terms == 0) {
      Arrays.fill(out, offset, offset + length, 0.0);
      return true;
    }
    double[] l = loLive ? lo : null;
    boolean finite = ParallelRanges.allOf(length,
        (from, to) -> ADD.mean(hi, l, from, to - from, out, offset + from, norm));
    for (Integer i : spill.keySet()) {
      out[offset + i] = value(i) / norm;
    }
    return finite;
  }

  /** An upper bound of the bytes {@link #encode} writes. */
  public int maxEncodedBytes() {
    // header, hi (at most 8 per element), lo (a count and at most 8 per element), spill count
    long bytes = HEADER_BYTES + 16L * length + 8;
    for (ExactSum e : spill.values()) {
      bytes += 8 + 8L * e.partials().length;
    }
    if (bytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("a sum of " + length + " elements does not fit one "
          + "buffer; cut it into ranges (PartialSum)");
    }
    return (int) bytes;
  }

  /**
   * Encodes this sum into {@code out} (little-endian, from its position): an exact description
   * that {@link #addEncoded} adds into another sum of the same length.
   */
  public void encode(ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    int nonZeroLo = 0;
    if (terms > 0 && loLive) {
      for (int i = 0; i < length; i++) {
        if (lo[i] != 0.0) {
          nonZeroLo++;
        }
      }
    }
    boolean f32 = oneFloatVector;
    byte loMode = nonZeroLo == 0 ? LO_NONE : 12L * nonZeroLo < 8L * length ? LO_SPARSE : LO_DENSE;
    out.putInt(MAGIC).putInt(length).putLong(terms).put(f32 ? HI_F32 : HI_F64).put(loMode);
    if (terms == 0) {
      for (int i = 0; i < length; i++) {
        out.putDouble(0.0);
      }
    } else if (f32) {
      for (int i = 0; i < length; i++) {
        out.putFloat((float) hi[i]);
      }
    } else {
      out.asDoubleBuffer().put(hi, 0, length);
      out.position(out.position() + 8 * length);
    }
    if (loMode == LO_SPARSE) {
      out.putInt(nonZeroLo);
      for (int i = 0; i < length; i++) {
        if (lo[i] != 0.0) {
          out.putInt(i).putDouble(lo[i]);
        }
      }
    } else if (loMode == LO_DENSE) {
      out.asDoubleBuffer().put(lo, 0, length);
      out.position(out.position() + 8 * length);
    }
    out.putInt(spill.size());
    for (Map.Entry<Integer, ExactSum> e : spill.entrySet()) {
      double[] p = e.getValue().partials();
      out.putInt(e.getKey()).putInt(p.length);
      for (double v : p) {
        out.putDouble(v);
      }
    }
  }

  /** Bytes {@link #encodeOne} writes for {@code count} values of {@code bytesPerValue} bytes. */
  static int encodedBytesOfOne(int count, int bytesPerValue) {
    return HEADER_BYTES + bytesPerValue * count + 4;
  }

  /**
   * Encodes the sum of exactly one vector, {@code x[from .. from + count)} ({@code float[]} or
   * {@code double[]}), as {@link #encode} would after adding it to an empty sum, without building
   * that sum.
   */
  static void encodeOne(Object x, int from, int count, ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    boolean f32 = x instanceof float[];
    out.putInt(MAGIC).putInt(count).putLong(1).put(f32 ? HI_F32 : HI_F64).put(LO_NONE);
    if (f32) {
      float[] v = (float[]) x;
      for (int i = from; i < from + count; i++) {
        out.putFloat(v[i] + 0.0f); // 0 + x: a sum never starts at −0
      }
    } else {
      double[] v = (double[]) x;
      for (int i = from; i < from + count; i++) {
        out.putDouble(v[i] + 0.0);
      }
    }
    out.putInt(0);
  }

  /** Work buffers for decoding, per thread (a sum may be merged from several threads' ranges). */
  private static final ThreadLocal<double[]> DOUBLES = ThreadLocal.withInitial(() -> new double[4096]);
  private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[4096]);

  /**
   * Adds a sum written by {@link #encode} exactly, reading {@code in} from its position to the
   * encoding's end.
   */
  public void addEncoded(ByteBuffer in) {
    in.order(ByteOrder.LITTLE_ENDIAN);
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException(String.format("not an encoded exact sum (magic 0x%08x)", magic));
    }
    int count = in.getInt();
    long encodedTerms = in.getLong();
    byte hiType = in.get();
    byte loMode = in.get();
    if (count != length) {
      throw new IllegalArgumentException("encoded sum of " + count + " elements added to one of "
          + length);
    }
    if (hiType != HI_F32 && hiType != HI_F64) {
      throw new IllegalArgumentException("unknown value type " + hiType);
    }
    boolean empty = terms == 0;
    double[] doubles = DOUBLES.get();
    float[] floats = FLOATS.get();
    for (int done = 0; done < count; ) {
      int n = Math.min(doubles.length, count - done);
      if (hiType == HI_F32) {
        in.asFloatBuffer().get(floats, 0, n);
        in.position(in.position() + 4 * n);
        if (empty) {
          ADD.setFloats(hi, done, floats, 0, n);
        } else {
          ADD.addFloats(hi, done, floats, 0, n, carry);
        }
      } else if (empty) {
        in.asDoubleBuffer().get(hi, done, n);
        in.position(in.position() + 8 * n);
      } else {
        in.asDoubleBuffer().get(doubles, 0, n);
        in.position(in.position() + 8 * n);
        addDoubles(doubles, 0, done, n);
      }
      done += n;
    }
    if (empty && encodedTerms > 0) {
      terms = encodedTerms; // hi holds data now: what follows adds to it
    }
    if (loMode == LO_SPARSE) {
      int m = in.getInt();
      for (int k = 0; k < m; k++) {
        int i = in.getInt();
        double v = in.getDouble();
        checkIndex(i);
        addAt(i, v);
      }
    } else if (loMode == LO_DENSE) {
      for (int done = 0; done < count; ) {
        int n = Math.min(doubles.length, count - done);
        in.asDoubleBuffer().get(doubles, 0, n);
        in.position(in.position() + 8 * n);
        addDoubles(doubles, 0, done, n);
        done += n;
      }
    } else if (loMode != LO_NONE) {
      throw new IllegalArgumentException("unknown lo mode " + loMode);
    }
    int spilled = in.getInt();
    for (int k = 0; k < spilled; k++) {
      int i = in.getInt();
      int m = in.getInt();
      checkIndex(i);
      for (int j = 0; j < m; j++) {
        addAt(i, in.getDouble());
      }
    }
    oneFloatVector = empty && hiType == HI_F32 && encodedTerms == 1;
    terms = empty ? encodedTerms : terms + encodedTerms;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= length) {
      throw new IllegalArgumentException("encoded element " + i + " outside a sum of " + length);
    }
  }

  private void checkSlice(int n, int from) {
    if (from < 0 || from + length > n) {
      throw new IllegalArgumentException("slice [" + from + ", " + (from + length)
          + ") of a vector of length " + n);
    }
  }

  private void checkLength(int n) {
    if (n != length) {
      throw new IllegalArgumentException("vector of length " + n + " added to a sum of " + length);
    }
  }
}
