package io.sparkmlp.data;

import java.util.Arrays;

/** Append-only primitive arrays (no boxing) for collecting a split's rows. */
final class GrowableArrays {
  private GrowableArrays() {}

  /**
   * The growth and trimming both primitive arrays share; {@code A} is the array type.
   *
   * <p>Capacity grows by half plus 16, so n appends copy O(n) values in all.
   */
  private abstract static class Growable<A> {
    A a;
    int n;

    Growable(A empty) {
      a = empty;
    }

    abstract int length(A array);

    abstract A copyOf(A array, int length);

    /** Makes room for {@code count} more values. */
    final void reserve(int count) {
      int length = length(a);
      if (n + count > length) {
        a = copyOf(a, Math.max(grow(length), n + count));
      }
    }

    /** Appends {@code v[from, from + count)}. */
    final void addAll(A v, int from, int count) {
      reserve(count);
      System.arraycopy(v, from, a, n, count);
      n += count;
    }

    final int size() {
      return n;
    }

    /** The values appended so far, in an array of exactly that length. */
    final A toArray() {
      return length(a) == n ? a : copyOf(a, n);
    }
  }

  /** A growable double[]. */
  static final class Doubles extends Growable<double[]> {
    Doubles(int capacity) {
      super(new double[Math.max(16, capacity)]);
    }

    void add(double v) {
      reserve(1);
      a[n++] = v;
    }

    double get(int i) {
      return a[i];
    }

    @Override
    int length(double[] array) {
      return array.length;
    }

    @Override
    double[] copyOf(double[] array, int length) {
      return Arrays.copyOf(array, length);
    }
  }

  /** A growable int[]. */
  static final class Ints extends Growable<int[]> {
    Ints(int capacity) {
      super(new int[Math.max(16, capacity)]);
    }

    void add(int v) {
      reserve(1);
      a[n++] = v;
    }

    @Override
    int length(int[] array) {
      return array.length;
    }

    @Override
    int[] copyOf(int[] array, int length) {
      return Arrays.copyOf(array, length);
    }
  }

  private static int grow(int n) {
    long next = Math.max(16L, (long) n + (n >> 1) + 16);
    if (next > Integer.MAX_VALUE - 16) {
      if (n >= Integer.MAX_VALUE - 16) {
        throw new IllegalStateException(
            "a single input split holds more than 2^31 values; use smaller input splits");
      }
      next = Integer.MAX_VALUE - 16;
    }
    return (int) next;
  }
}
