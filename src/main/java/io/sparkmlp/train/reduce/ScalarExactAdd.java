package io.sparkmlp.train.reduce;

/** {@link ExactAdd} in plain Java loops: the reference, and the fallback without the Vector API. */
final class ScalarExactAdd implements ExactAdd {
  @Override
  public void addFloats(double[] hi, int off, float[] x, int from, int n, ErrorSink sink) {
    for (int k = 0; k < n; k++) {
      int i = off + k;
      double a = hi[i];
      double b = x[from + k];
      double s = a + b;
      double e = ExactAdd.twoSumError(a, b, s);
      hi[i] = s;
      if (e != 0.0) {
        sink.accept(i, e);
      }
    }
  }

  @Override
  public void addDoubles(double[] hi, double[] lo, int off, double[] x, int from, int n,
      ErrorSink sink) {
    for (int k = 0; k < n; k++) {
      int i = off + k;
      double a = hi[i];
      double b = x[from + k];
      double s = a + b;
      double e = ExactAdd.twoSumError(a, b, s);
      if (e != e) {
        e = 0.0; // NaN: hi[i] is ±∞ or NaN and stays so; lo keeps its finite value
      }
      hi[i] = s;
      double c = lo[i];
      double t = c + e;
      double f = ExactAdd.twoSumError(c, e, t);
      lo[i] = t;
      if (f != 0.0) {
        sink.accept(i, f);
      }
    }
  }

  @Override
  public boolean mean(double[] hi, double[] lo, int from, int n, double[] out, int to,
      double norm) {
    boolean finite = true;
    for (int k = 0; k < n; k++) {
      double g = (lo == null ? hi[from + k] : hi[from + k] + lo[from + k]) / norm;
      out[to + k] = g;
      finite &= g - g == 0.0;
    }
    return finite;
  }
}
