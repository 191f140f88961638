package io.sparkmlp.cli.bench;

import io.sparkmlp.blas.Blas;
import io.sparkmlp.blas.BlasChoice;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import java.util.Arrays;
import java.util.Locale;

/**
 * Figure 1's measurement in a JVM of its own, whose BLAS is forced by the system property
 * {@code spark.mlp.blas} ({@link GemmFigure} starts one per BLAS; netlib binds one per JVM).
 *
 * <p>Arguments: {@code SIZES DTYPES ROWS THREADS MILLIS} (comma lists: layer sizes, dtypes,
 * chunk rows). Prints {@code blas<TAB>summary}, then one
 * {@code gemm<TAB>dtype<TAB>rows<TAB>layer<TAB>op<TAB>seconds 1 thread<TAB>seconds THREADS at once}
 * line per product; a BLAS that cannot be used here prints {@code unavailable<TAB>reason} and
 * exits with {@value #UNAVAILABLE}.
 */
public final class GemmProbe {
  static final int UNAVAILABLE = 3;

  private GemmProbe() {}

  public static void main(String[] args) {
    int[] sizes = ints(args[0]);
    MLP mlp = new MLP(sizes[0], Arrays.copyOfRange(sizes, 1, sizes.length - 1),
        sizes[sizes.length - 1], Activation.RELU, Loss.CROSS_ENTROPY);
    int threads = Integer.parseInt(args[3]);
    long millis = Long.parseLong(args[4]);
    BlasChoice blas;
    try {
      blas = Blas.choice();
    } catch (IllegalArgumentException e) {
      System.out.println("unavailable\t" + e.getMessage());
      System.exit(UNAVAILABLE);
      return;
    }
    System.out.println("blas\t" + blas.summary());
    for (String d : args[1].split(",")) {
      Dtype dtype = Dtype.parse(d);
      for (int rows : ints(args[2])) {
        for (Gemm g : Gemm.ofChunk(mlp, rows)) {
          double one = GemmTimer.secondsPerCall(g, dtype, 1, millis);
          double shared = GemmTimer.secondsPerCall(g, dtype, threads, millis);
          System.out.println(String.format(Locale.ROOT, "gemm\t%s\t%d\t%d\t%s\t%.6e\t%.6e",
              dtype.optionName(), rows, g.layer(), g.op(), one, shared));
        }
      }
    }
    System.out.flush();
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }
}
