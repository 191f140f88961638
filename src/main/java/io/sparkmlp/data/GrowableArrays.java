package io.sparkmlp.data;

import java.util.Arrays;

/** Append-only primitive arrays (no boxing) for collecting a split's rows. */
final class GrowableArrays {
  private GrowableArrays() {}

  /** A growable double[]. */
  static final class Doubles {
    private double[] a;
    private int n;

    Doubles(int capacity) {
      a = new double[Math.max(16, capacity)];
    }

    void add(double v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, grow(n));
      }
      a[n++] = v;
    }

    void addAll(double[] v, int from, int count) {
      if (n + count > a.length) {
        a = Arrays.copyOf(a, Math.max(grow(a.length), n + count));
      }
      System.arraycopy(v, from, a, n, count);
      n += count;
    }

    int size() {
      return n;
    }

    double get(int i) {
      return a[i];
    }

    double[] toArray() {
      return a.length == n ? a : Arrays.copyOf(a, n);
    }
  }

  /** A growable int[]. */
  static final class Ints {
    private int[] a;
    private int n;

    Ints(int capacity) {
      a = new int[Math.max(16, capacity)];
    }

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, grow(n));
      }
      a[n++] = v;
    }

    void addAll(int[] v, int from, int count) {
      if (n + count > a.length) {
        a = Arrays.copyOf(a, Math.max(grow(a.length), n + count));
      }
      System.arraycopy(v, from, a, n, count);
      n += count;
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return a.length == n ? a : Arrays.copyOf(a, n);
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
