package io.sparkmlp.nn;

/**
 * Special functions the JDK lacks, accurate to a few ulps in double precision.
 *
 * <p>{@link #erf(double)} backs the exact GELU, {@code gelu(x) = x·Φ(x) = ½·x·(1 + erf(x/√2))},
 * which is PyTorch's default {@code nn.GELU(approximate='none')}.
 */
public final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double SERIES_LIMIT = 2.5;

  private SpecialFunctions() {}

  /**
   * The error function {@code erf(x) = 2/√π ∫₀ˣ e^(−t²) dt}.
   *
   * <p>For {@code |x| < 2.5} the series {@code erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) /
   * (1·3·…·(2n+1))} is summed; all its terms are positive, so no digits cancel. Beyond that
   * {@code erfc(|x|)} comes from its continued fraction (modified Lentz), which converges fast
   * for large arguments. Relative error stays below 1e-15 over the whole line.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    double r;
    if (ax < SERIES_LIMIT) {
      double x2 = ax * ax;
      double term = ax;
      double sum = ax;
      for (int n = 0; n < 200; n++) {
        term *= 2.0 * x2 / (2 * n + 3);
        sum += term;
        if (term < sum * 1e-17) {
          break;
        }
      }
      r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    } else if (ax < 6.5) {
      r = 1.0 - erfcContinuedFraction(ax);
    } else {
      r = 1.0;
    }
    return x < 0 ? -r : r;
  }

  /**
   * {@code erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))} for x > 0,
   * evaluated with the modified Lentz algorithm.
   */
  private static double erfcContinuedFraction(double x) {
    final double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0.0;
    for (int k = 1; k < 500; k++) {
      double a = k * 0.5;
      d = x + a * d;
      d = d == 0 ? tiny : d;
      c = x + a / c;
      c = c == 0 ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
  }
}
