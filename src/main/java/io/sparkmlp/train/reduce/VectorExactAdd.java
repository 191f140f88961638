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
}
