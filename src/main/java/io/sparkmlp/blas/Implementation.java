package io.sparkmlp.blas;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which BLAS a native library is, told by the functions only that implementation exports
 * (OpenBLAS {@code openblas_get_config}, MKL {@code mkl_get_version}, …), looked for in the
 * library and the libraries it needs (Debian's {@code libblas.so.3} of OpenBLAS is a thin
 * wrapper that needs {@code libopenblas.so.0}). A library with none of them is
 * {@link #UNIDENTIFIED}: the reference BLAS (Debian's {@code libblas3}, about 6 GFLOPS here,
 * BENCHMARKS.md figure 1) looks like that.
 */
enum Implementation {
  OPENBLAS("OpenBLAS", "openblas_", List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS",
      "OMP_NUM_THREADS"), true),
  MKL("Intel MKL", "mkl_", List.of("MKL_NUM_THREADS", "OMP_NUM_THREADS"), true),
  BLIS("BLIS", "bli_", List.of("BLIS_NUM_THREADS", "OMP_NUM_THREADS"), false),
  ARMPL("Arm Performance Libraries", "armpl_", List.of("OMP_NUM_THREADS"), true),
  NVPL("NVIDIA NVPL BLAS", "nvpl_", List.of("OMP_NUM_THREADS"), true),
  ATLAS("ATLAS", "ATL_", List.of(), false),
  FLEXIBLAS("FlexiBLAS", "flexiblas_", List.of(), false),
  /** macOS's system BLAS, which netlib loads by default there; never identified by symbols. */
  ACCELERATE("Apple Accelerate", null, List.of("VECLIB_MAXIMUM_THREADS"), true),
  UNIDENTIFIED("an unidentified BLAS", null, List.of(), false);

  final String label;
  private final String symbolPrefix;
  private final List<String> threadVariables;
  /** Whether it uses every core when none of {@link #threadVariables} is set. */
  private final boolean allCoresByDefault;

  Implementation(String label, String symbolPrefix, List<String> threadVariables,
      boolean allCoresByDefault) {
    this.label = label;
    this.symbolPrefix = symbolPrefix;
    this.threadVariables = threadVariables;
    this.allCoresByDefault = allCoresByDefault;
  }

  /** The implementation whose marker functions appear in {@code functions}. */
  static Implementation of(Set<String> functions) {
    for (Implementation i : values()) {
      if (i.symbolPrefix != null && functions.stream().anyMatch(f -> f.startsWith(i.symbolPrefix))) {
        return i;
      }
    }
    return UNIDENTIFIED;
  }

  /**
   * The threads one BLAS call uses as the environment sets them, e.g. "1 thread" or "2 threads
   * (all cores; set OPENBLAS_NUM_THREADS)"; null when this implementation's rule is not known.
   */
  String threads(Map<String, String> env, int cores) {
    for (String v : threadVariables) {
      String value = env.get(v);
      if (value != null && !value.isBlank()) {
        try {
          int n = Integer.parseInt(value.trim());
          if (n > 0) {
            return count(n);
          }
        } catch (NumberFormatException e) {
          // the library ignores a value it cannot read too; try the next variable
        }
      }
    }
    if (threadVariables.isEmpty()) {
      return null;
    }
    return allCoresByDefault ? count(cores) + " (all cores; set " + threadVariables.get(0) + ")"
        : count(1);
  }

  static String count(int threads) {
    return threads + (threads == 1 ? " thread" : " threads");
  }
}
