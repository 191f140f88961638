package io.sparkmlp.data;

import io.sparkmlp.nn.Named;

/**
 * How a data set's features are stored in the cached blocks and fed to the first layer: dense
 * row-major arrays, or CSR ({@link io.sparkmlp.nn.SparseRows}) multiplied sparse × dense.
 * Both give the same model (float64 agrees to rounding); they differ in memory and speed.
 */
public enum InputLayout implements Named {
  /**
   * Sparse when the data's measured density is below {@link #SPARSE_BELOW}, or when the dense
   * blocks would not fit in the memory the executors can cache and the sparse ones are smaller;
   * else dense.
   */
  AUTO,
  DENSE,
  SPARSE;

  /**
   * The density (non-zeros / (rows × features)) below which {@link #AUTO} stores rows sparse:
   * the crossover where the sparse first layer becomes faster than the dense one, measured in
   * BENCHMARKS.md ("Sparse input"). Memory crosses later (8 vs 4 bytes per float32 value at
   * density 0.5), so below this point sparse is smaller as well as faster.
   */
  public static final double SPARSE_BELOW = 0.05;

  /** The layout named {@code name} (see {@link Named#parse}). */
  public static InputLayout parse(String name) {
    return Named.parse(InputLayout.class, "input layout", name);
  }

  /** Whether rows of the given density are multiplied sparse under this choice (a batch). */
  public boolean sparse(double density) {
    return this == SPARSE || (this == AUTO && density < SPARSE_BELOW);
  }

  /**
   * Whether a data set is stored sparse under this choice, given its density, the bytes of its
   * dense and sparse forms, and the memory available to cache it.
   */
  public boolean sparse(double density, long denseBytes, long sparseBytes, long cacheBytes) {
    return sparse(density)
        || (this == AUTO && denseBytes > cacheBytes && sparseBytes < denseBytes);
  }
}
