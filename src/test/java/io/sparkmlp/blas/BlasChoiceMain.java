package io.sparkmlp.blas;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * A JVM of {@link BlasChoiceJvmTest}: chooses its BLAS as any JVM of ours does
 * ({@link Blas#get()}; with the argument {@code netlib-first} after asking netlib itself), then
 * prints the log line, netlib's own instance and the largest error of
 * an sgemm and a dgemm against plain loops.
 */
public final class BlasChoiceMain {
  private BlasChoiceMain() {}

  /** {@code netlib-first}: something asks netlib before us (as MLlib code might). */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("netlib-first")) {
      System.out.println("netlib first " + BLAS.getInstance().getClass().getName());
    }
    BLAS blas = Blas.get();
    System.out.println("choice " + Blas.choice().logLine());
    System.out.println("kernels " + blas.getClass().getName());
    System.out.println("netlib " + BLAS.getInstance().getClass().getName());
    int m = 37;
    int n = 29;
    int k = 53;
    SplittableRandom rng = new SplittableRandom(1);
    double[] a = rng.doubles(m * k, -1, 1).toArray();
    double[] b = rng.doubles(k * n, -1, 1).toArray();
    double[] c = new double[m * n];
    float[] af = new float[a.length];
    float[] bf = new float[b.length];
    float[] cf = new float[c.length];
    for (int i = 0; i < a.length; i++) {
      af[i] = (float) a[i];
    }
    for (int i = 0; i < b.length; i++) {
      bf[i] = (float) b[i];
    }
    blas.dgemm("N", "N", m, n, k, 1.0, a, m, b, k, 0.0, c, m);
    blas.sgemm("N", "N", m, n, k, 1f, af, m, bf, k, 0f, cf, m);
    double errD = 0;
    double errS = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double ref = 0;
        for (int p = 0; p < k; p++) {
          ref += a[i + p * m] * b[p + j * k];
        }
        errD = Math.max(errD, Math.abs(c[i + j * m] - ref));
        errS = Math.max(errS, Math.abs(cf[i + j * m] - ref));
      }
    }
    System.out.println("dgemm error " + errD);
    System.out.println("sgemm error " + errS);
  }
}
