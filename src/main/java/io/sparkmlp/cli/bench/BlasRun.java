package io.sparkmlp.cli.bench;

import io.sparkmlp.blas.ForkedJvm;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One BLAS of figure 1 measured by {@link GemmProbe} in a JVM of its own with
 * {@code -Dspark.mlp.blas=VALUE}: the BLAS it got, or why it is not available here, and the
 * seconds per call of each product (one thread alone, and {@code threads} at once).
 */
final class BlasRun {
  final String value;
  String summary;
  String unavailable;
  private final Map<String, double[]> seconds = new HashMap<>();

  private BlasRun(String value) {
    this.value = value;
  }

  /** Runs the probe for {@code value} on {@code dtypes} × {@code chunkRows}. */
  static BlasRun measure(String value, MLP mlp, List<Dtype> dtypes, int[] chunkRows,
      int threads, long millis) throws IOException {
    BlasRun run = new BlasRun(value);
    String sizes = IntStream.rangeClosed(0, mlp.numLayers()).mapToObj(l -> "" + mlp.size(l))
        .collect(Collectors.joining(","));
    List<String> opts = new ArrayList<>(List.of("-Dspark.mlp.blas=" + value, "-Xmx1g"));
    String log = System.getProperty("log4j2.configurationFile");
    if (log != null) {
      opts.add("-Dlog4j2.configurationFile=" + log);
    }
    List<String> cmd = ForkedJvm.command(GemmProbe.class, opts, List.of(sizes,
        dtypes.stream().map(Dtype::optionName).collect(Collectors.joining(",")),
        IntStream.of(chunkRows).mapToObj(Integer::toString).collect(Collectors.joining(",")),
        Integer.toString(threads), Long.toString(millis)));
    Path err = Files.createTempFile("spark-mlp-gemm-probe", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          run.parse(line.split("\t"));
        }
      }
      int status = p.waitFor();
      if (status == GemmProbe.UNAVAILABLE && run.unavailable != null) {
        return run;
      }
      if (status != 0) {
        List<String> tail = Files.readAllLines(err, StandardCharsets.UTF_8);
        throw new IOException("figure 1's probe for spark.mlp.blas=" + value + " exited with "
            + status + ": " + String.join("\n", tail.subList(Math.max(0, tail.size() - 20),
            tail.size())));
      }
      return run;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private void parse(String[] f) {
    switch (f[0]) {
      case "blas" -> summary = f[1];
      case "unavailable" -> unavailable = f[1];
      case "gemm" -> seconds.put(key(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]),
          new double[] {Double.parseDouble(f[5]), Double.parseDouble(f[6])});
      default -> { }
    }
  }

  boolean available() {
    return unavailable == null;
  }

  /** Seconds per call of {@code g} on {@code rows} rows: {one thread, all threads at once}. */
  double[] seconds(Dtype dtype, int rows, Gemm g) {
    double[] s = seconds.get(key(dtype.optionName(), rows, g.layer(), g.op()));
    if (s == null) {
      throw new IllegalStateException("no timing of " + g + " for " + value);
    }
    return s;
  }

  private static String key(String dtype, int rows, int layer, String op) {
    return dtype + "/" + rows + "/" + layer + "/" + op;
  }
}
