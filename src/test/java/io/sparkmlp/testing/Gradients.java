package io.sparkmlp.testing;

/** Kernel gradients ({@code float[]} or {@code double[]}) for comparisons in double. */
public final class Gradients {
  private Gradients() {}

  /** {@code gradient} widened to a new double array. */
  public static double[] widen(Object gradient) {
    if (gradient instanceof double[]) {
      return ((double[]) gradient).clone();
    }
    float[] g = (float[]) gradient;
    double[] d = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      d[i] = g[i];
    }
    return d;
  }
}
