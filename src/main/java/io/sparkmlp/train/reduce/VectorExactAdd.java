package io.sparkmlp.train.reduce;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ExactAdd} on the Vector API: the same operations as {@link ScalarExactAdd}, lane by
 * lane, so the same bits; a vector whose errors are not all zero hands the non-zero ones to the
 * sink one by one. Loaded only when the {@code jdk.incubator.vector} module is present.
 */
final class VectorExactAdd implements ExactAdd {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  /** The floats that widen into one {@link #D} vector. */
  private static final VectorSpecies<Float> F =
      VectorShape.forBitSize(D.vectorBitSize() / 2).withLanes(float.class);
  private final ScalarExactAdd tail = new ScalarExactAdd();

  @Override
  public void setFloats(double[] hi, int off, float[] x, int from, int n) {
    int k = 0;
    for (int bound = D.loopBound(n); k < bound; k += D.length()) {
      ((DoubleVector) FloatVector.fromArray(F, x, from + k).convertShape(VectorOperators.F2D, D, 0))
          .add(0.0).intoArray(hi, off + k);
    }
    tail.setFloats(hi, off + k, x, from + k, n - k);
  }

  @Override
  public void addFloats(double[] hi, int off, float[] x, int from, int n, ErrorSink sink) {
    int lanes = D.length();
    int k = 0;
    for (int bound = D.loopBound(n); k < bound; k += lanes) {
      int i = off + k;
      DoubleVector a = DoubleVector.fromArray(D, hi, i);
      DoubleVector b = (DoubleVector) FloatVector.fromArray(F, x, from + k)
          .convertShape(VectorOperators.F2D, D, 0);
      DoubleVector s = a.add(b);
      DoubleVector e = error(a, b, s);
      s.intoArray(hi, i);
      if (e.compare(VectorOperators.NE, 0.0).anyTrue()) {
        report(e.toArray(), i, sink);
      }
    }
    tail.addFloats(hi, off + k, x, from + k, n - k, sink);
  }

  @Override
  public void addDoubles(double[] hi, double[] lo, int off, double[] x, int from, int n,
      ErrorSink sink) {
    int lanes = D.length();
    int k = 0;
    for (int bound = D.loopBound(n); k < bound; k += lanes) {
      int i = off + k;
      DoubleVector a = DoubleVector.fromArray(D, hi, i);
      DoubleVector b = DoubleVector.fromArray(D, x, from + k);
      DoubleVector s = a.add(b);
      DoubleVector e = error(a, b, s);
      e = e.blend(0.0, e.compare(VectorOperators.NE, e)); // NaN: hi is ±∞ or NaN already
      s.intoArray(hi, i);
      DoubleVector c = DoubleVector.fromArray(D, lo, i);
      DoubleVector t = c.add(e);
      DoubleVector f = error(c, e, t);
      t.intoArray(lo, i);
      if (f.compare(VectorOperators.NE, 0.0).anyTrue()) {
        report(f.toArray(), i, sink);
      }
    }
    tail.addDoubles(hi, lo, off + k, x, from + k, n - k, sink);
  }

  /** {@link ExactAdd#twoSumError} lane by lane (small enough to be inlined, vectors unboxed). */
  private static DoubleVector error(DoubleVector a, DoubleVector b, DoubleVector s) {
    DoubleVector bb = s.sub(a);
    return a.sub(s.sub(bb)).add(b.sub(bb));
  }

  /**
   * Hands the non-zero errors (lanes of elements {@code i …}) to {@code sink}: the rare path,
   * kept out of the loops so their vectors stay in registers.
   */
  private static void report(double[] err, int i, ErrorSink sink) {
    for (int l = 0; l < err.length; l++) {
      if (err[l] != 0.0) {
        sink.accept(i + l, err[l]);
      }
    }
  }

  @Override
  public boolean mean(double[] hi, double[] lo, int from, int n, double[] out, int to,
      double norm) {
    int lanes = D.length();
    DoubleVector bad = DoubleVector.zero(D);
    int k = 0;
    for (int bound = D.loopBound(n); k < bound; k += lanes) {
      DoubleVector h = DoubleVector.fromArray(D, hi, from + k);
      DoubleVector g = (lo == null ? h : h.add(DoubleVector.fromArray(D, lo, from + k))).div(norm);
      g.intoArray(out, to + k);
      bad = bad.add(g.sub(g)); // 0 while finite, NaN from the first ±∞ or NaN on
    }
    boolean finite = bad.reduceLanes(VectorOperators.ADD) == 0.0;
    return tail.mean(hi, lo, from + k, n - k, out, to + k, norm) && finite;
  }

  /**
   * Two vectors (two partitions in a JVM, the common case) in one pass; otherwise a pass per
   * vector, {@code out} holding the running sums exactly, and a pass that divides. Every loop
   * body is straight-line: a vector carried through a branch or an inner loop would not stay in
   * registers.
   */
  @Override
  public boolean meanOfFloats(float[][] xs, int count, int from, int n, double[] out, int to,
      double norm) {
    int bound = D.loopBound(n);
    boolean ok = count == 2 ? meanOfTwo(xs[0], xs[1], from, bound, out, to, norm)
        : meanOfMany(xs, count, from, bound, out, to, norm);
    return ok && tail.meanOfFloats(xs, count, from + bound, n - bound, out, to + bound, norm);
  }

  private static boolean meanOfTwo(float[] x0, float[] x1, int from, int n, double[] out, int to,
      double norm) {
    // |rounding error| sums to 0 while every sum is exact; g − g is 0 while g is finite, else NaN
    DoubleVector bad = DoubleVector.zero(D);
    for (int k = 0; k < n; k += D.length()) {
      DoubleVector a = widen(x0, from + k).add(0.0);
      DoubleVector b = widen(x1, from + k);
      DoubleVector s = a.add(b);
      DoubleVector g = s.div(norm);
      g.intoArray(out, to + k);
      bad = bad.add(error(a, b, s).abs()).add(g.sub(g));
    }
    return bad.compare(VectorOperators.EQ, 0.0).allTrue();
  }

  private static boolean meanOfMany(float[][] xs, int count, int from, int n, double[] out,
      int to, double norm) {
    for (int k = 0; k < n; k += D.length()) {
      widen(xs[0], from + k).add(0.0).intoArray(out, to + k);
    }
    DoubleVector bad = DoubleVector.zero(D);
    for (int j = 1; j < count; j++) {
      float[] x = xs[j];
      for (int k = 0; k < n; k += D.length()) {
        DoubleVector a = DoubleVector.fromArray(D, out, to + k);
        DoubleVector b = widen(x, from + k);
        DoubleVector s = a.add(b);
        s.intoArray(out, to + k);
        bad = bad.add(error(a, b, s).abs());
      }
    }
    for (int k = 0; k < n; k += D.length()) {
      DoubleVector g = DoubleVector.fromArray(D, out, to + k).div(norm);
      g.intoArray(out, to + k);
      bad = bad.add(g.sub(g));
    }
    return bad.compare(VectorOperators.EQ, 0.0).allTrue();
  }

  private static DoubleVector widen(float[] x, int at) {
    return (DoubleVector) FloatVector.fromArray(F, x, at).convertShape(VectorOperators.F2D, D, 0);
  }
}
