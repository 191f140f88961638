package io.sparkmlp.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An exact sum of doubles (Shewchuk's non-overlapping partials, as in Python's {@code math.fsum}),
 * rounded once at the end.
 *
 * <p>Why: feature means and variances are summed over rows that Spark hands out in splits and
 * partitions whose boundaries depend on the input splitting and the partition count. A plain
 * {@code double} sum depends on that grouping in its last bits, which would make standardised
 * blocks differ between runs. The exact sum is the same whatever the order or grouping, so the
 * statistics (and the blocks) are bit-identical. Cost: a few additions per value, and only for the
 * values of the training rows in one pass.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] partials = new double[4];
  private int n;

  /** Adds {@code x} exactly (finite values; the running sum must not overflow). */
  public void add(double x) {
    double[] p = partials;
    int i = 0;
    for (int k = 0; k < n; k++) {
      double y = p[k];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0.0) {
        p[i++] = lo;
      }
      x = hi;
    }
    if (i == p.length) {
      partials = p = Arrays.copyOf(p, p.length * 2);
    }
    p[i] = x;
    n = i + 1;
  }

  /** Back to the empty sum. */
  public void clear() {
    n = 0;
  }

  /** Adds {@code a * b} exactly (as the rounded product plus its rounding error). */
  public void addProduct(double a, double b) {
    double p = a * b;
    double e = Math.fma(a, b, -p);
    add(p);
    if (e != 0.0) {
      add(e);
    }
  }

  /** Adds everything {@code other} holds. */
  public void addAll(ExactSum other) {
    for (int k = 0; k < other.n; k++) {
      add(other.partials[k]);
    }
  }

  /**
   * The non-overlapping partials whose exact sum this is, smallest magnitude first (a copy): an
   * exact encoding of the sum, e.g. to send it elsewhere and {@link #add} each on arrival.
   */
  public double[] partials() {
    return Arrays.copyOf(partials, n);
  }

  /** The exact sum correctly rounded to a double (CPython's fsum rounding). */
  public double value() {
    double[] p = partials;
    int k = n;
    double hi = 0.0;
    if (k > 0) {
      hi = p[--k];
      double lo = 0.0;
      while (k > 0) {
        double x = hi;
        double y = p[--k];
        hi = x + y;
        double yr = hi - x;
        lo = y - yr;
        if (lo != 0.0) {
          break;
        }
      }
      if (k > 0 && ((lo < 0.0 && p[k - 1] < 0.0) || (lo > 0.0 && p[k - 1] > 0.0))) {
        double y = lo * 2.0;
        double x = hi + y;
        double yr = x - hi;
        if (y == yr) {
          hi = x;
        }
      }
    }
    return hi;
  }
}
