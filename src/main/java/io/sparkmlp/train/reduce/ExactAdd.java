package io.sparkmlp.train.reduce;

import io.sparkmlp.nn.VectorApi;

/**
 * The inner loops of {@link ExactVectorSum}: error-free additions (Knuth's TwoSum) over arrays.
 * Two implementations compute the same bits: one on the JDK's Vector API (several elements per
 * instruction; the JIT does not vectorize these loops by itself because of the rare error
 * branch), used when the {@code jdk.incubator.vector} module is present, as submit.sh and the
 * tests arrange, and a scalar one otherwise.
 */
interface ExactAdd {
  /** Where an addition puts the part of an element's sum it could not hold exactly. */
  interface ErrorSink {
    void accept(int i, double error);
  }

  /**
   * {@code hi[off + k] ← x[from + k] + 0} for {@code k < n}: the first float32 vector of a sum,
   * widened exactly (a sum never starts at −0).
   */
  void setFloats(double[] hi, int off, float[] x, int from, int n);

  /**
   * For {@code k < n}, with {@code i = off + k}: {@code hi[i] ← fl(hi[i] + x[from + k])},
   * passing every non-zero rounding error {@code (hi[i] + x[from + k]) − fl(…)} to {@code sink}
   * with its index {@code i} (rare for float32 inputs).
   */
  void addFloats(double[] hi, int off, float[] x, int from, int n, ErrorSink sink);

  /**
   * Two-level, for {@code k < n}, {@code i = off + k}: {@code hi[i] ← fl(hi[i] + x[from + k])},
   * its error added into {@code lo[i]} the same way, and that addition's error (rare) to
   * {@code sink}.
   */
  void addDoubles(double[] hi, double[] lo, int off, double[] x, int from, int n, ErrorSink sink);

  /**
   * {@code out[to + k] ← (hi[from + k] + lo[from + k]) / norm} for {@code k < n} ({@code lo}
   * may be null: zeros), and whether every result is finite.
   */
  boolean mean(double[] hi, double[] lo, int from, int n, double[] out, int to, double norm);

  /**
   * The rounding error of {@code s = fl(a + b)}: {@code (a + b) − s} exactly, by Knuth's
   * TwoSum (six operations, no branch, any order of magnitude of a and b).
   */
  static double twoSumError(double a, double b, double s) {
    double bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }

  /**
   * {@code x[i] ← fl(x[i] + b)}, returning that addition's rounding error (see
   * {@link #twoSumError}), so {@code x[i] + error} is the exact sum.
   */
  static double addInto(double[] x, int i, double b) {
    double a = x[i];
    double s = a + b;
    x[i] = s;
    return twoSumError(a, b, s);
  }

  /**
   * {@code out[to + k] ← (x₀ + x₁ + … + x_{count−1})[from + k] / norm} for {@code k < n}, the
   * vectors {@code xs[0 .. count)} added in that order in double as {@link #setFloats} and
   * {@link #addFloats} would, when every addition is exact and every result finite: then the
   * bits of the exact sum's mean, and true. Returns false as soon as an addition rounds or a
   * result is not finite ({@code out} is then partly written; the caller takes the exact path).
   */
  boolean meanOfFloats(float[][] xs, int count, int from, int n, double[] out, int to, double norm);

  /** The fastest implementation this JVM can run. */
  ExactAdd INSTANCE = VectorApi.load(ExactAdd.class, "io.sparkmlp.train.reduce.VectorExactAdd",
      ScalarExactAdd::new);
}
