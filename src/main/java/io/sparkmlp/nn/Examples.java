package io.sparkmlp.nn;

/**
 * Rows a {@link Kernel} reads: features, dense row-major (rows, n) in float32 or float64, or CSR
 * ({@link SparseRows}), with a class index per row (classification) or targets, row-major
 * (rows, k) (regression), or neither (scoring). Exactly one form of features is non-null, and
 * at most one of the target arrays.
 *
 * <p>The dtype of the arrays is the data's business: a kernel reads arrays of its own dtype in
 * place and rounds or widens the others into its buffers ({@code Float32Batch}/{@code
 * Float64Batch}). Training blocks ({@code io.sparkmlp.data.Block}) are in the run's dtype;
 * scoring batches are built in double.
 */
public interface Examples {
  int rows();

  /** Dense float32 features (rows, n), or null. */
  float[] x32();

  /** Dense float64 features (rows, n), or null. */
  double[] x64();

  /** CSR features, or null. */
  SparseRows sparse();

  /** The class index of each row, or null. */
  int[] labels();

  /** Float32 targets (rows, k), or null. */
  float[] targets32();

  /** Float64 targets (rows, k), or null. */
  double[] targets64();

  /** Target {@code i} of the row-major targets, widened to double (regression). */
  default double target(int i) {
    return targets32() != null ? targets32()[i] : targets64()[i];
  }

  /** Dense float32 rows; {@code labels} and {@code targets} may be null. */
  static Examples of(int rows, float[] x, int[] labels, float[] targets) {
    return new Held(rows, x, null, null, labels, targets, null);
  }

  /** Dense float64 rows; {@code labels} and {@code targets} may be null. */
  static Examples of(int rows, double[] x, int[] labels, double[] targets) {
    return new Held(rows, null, x, null, labels, null, targets);
  }

  /** Sparse rows; {@code labels} and {@code targets} may be null. */
  static Examples of(SparseRows x, int[] labels, double[] targets) {
    return new Held(x.rows(), null, null, x, labels, null, targets);
  }

  /** Examples held in the arrays given. */
  record Held(int rows, float[] x32, double[] x64, SparseRows sparse, int[] labels,
      float[] targets32, double[] targets64) implements Examples {}
}
