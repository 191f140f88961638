package io.sparkmlp.train.reduce;

/** {@link ExactAdd} in plain Java loops: the reference, and the fallback without the Vector API. */
final class ScalarExactAdd implements ExactAdd {
  @Override
  public void setFloats(double[] hi, int off, float[] x, int from, int n) {
    for (int k = 0; k < n; k++) {
      hi[off + k] = x[from + k] + 0.0;
    }
  }

  @Override
  public void addFloats(double[] hi, int off, float[] x, int from, int n, ErrorSink sink) {
    for (int k = 0; k < n; k++) {
      int i = off + k;
      double e = ExactAdd.addInto(hi, i, x[from + k]);
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
      double e = ExactAdd.addInto(hi, i, x[from + k]);
      if (e != e) {
        e = 0.0; // NaN: hi[i] is ±∞ or NaN and stays so; lo keeps its finite value
      }
      double f = ExactAdd.addInto(lo, i, e);
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

  @Override
  public boolean meanOfFloats(float[][] xs, int count, int from, int n, double[] out, int to,
      double norm) {
    for (int k = 0; k < n; k++) {
      double a = xs[0][from + k] + 0.0;
      for (int j = 1; j < count; j++) {
        double b = xs[j][from + k];
        double s = a + b;
        if (ExactAdd.twoSumError(a, b, s) != 0.0) {
          return false;
        }
        a = s;
      }
      double g = a / norm;
      if (g - g != 0.0) {
        return false;
      }
      out[to + k] = g;
    }
    return true;
  }
}
