package io.sparkmlp.blas;

import dev.ludovic.netlib.blas.BLAS;
import java.nio.file.Path;

/**
 * The BLAS a JVM uses and why: what {@link Blas#choice()} returns and logs once.
 *
 * @param kind where it comes from
 * @param implementation "OpenBLAS 0.3.31", "Intel MKL", "VectorBLAS (Java Vector API)"…
 * @param library the native library's path; null for the Java kinds and macOS's Accelerate
 * @param threads threads per call as the environment sets them ("1 thread"), or null if unknown
 * @param reason the setting and, for auto, what was passed over and why
 * @param blas the instance the kernels call
 */
public record BlasChoice(BlasKind kind, String implementation, Path library, String threads,
    String reason, BLAS blas) {

  /** One line: "OpenBLAS 0.3.31 (bundled), 1 thread", "VectorBLAS (Java Vector API), 1 thread". */
  public String summary() {
    String where = kind == BlasKind.SYSTEM && library != null ? " (system " + library + ")"
        : kind == BlasKind.LIBRARY ? " (" + library + ")"
        : kind.isNative() ? " (" + kind.optionName() + ")" : "";
    return implementation + where + (threads == null ? "" : ", " + threads);
  }

  /** The log line: the summary, then the reason and where a bundled library was extracted. */
  public String logLine() {
    return "BLAS: " + summary() + " [" + reason
        + (kind == BlasKind.BUNDLED ? "; " + library : "") + "]";
  }
}
