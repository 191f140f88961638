package io.sparkmlp.nn;

import java.util.Arrays;

/**
 * The first layer's two products with a sparse input chunk X (rows, n) in CSR
 * ({@link SparseRows}), against the dense weight W (h, n) stored row-major in the flat parameter
 * array (PyTorch's {@code nn.Linear} layout):
 * <pre>
 *   forward:  Z (rows, h)  += X · Wᵀ        Z[r, :] += Σ_p v_p · W[:, col_p]
 *   backward: dW (h, n)    += Δᵀ · X        dW[:, col_p] += v_p · Δ[r, :]
 * </pre>
 * The input gradient of layer 1 is never needed, so these are the only sparse products.
 *
 * <p>Why a compaction step: a column of W is strided by n in memory, so touching {@code W[:, k]}
 * per non-zero would cost h cache misses per non-zero on wide inputs. Instead each chunk first
 * maps its u distinct columns, in increasing order, to compact ids 0..u−1 and gathers those
 * columns once into a contiguous (u, h) block (16 W rows at a time, each read left to right). The per
 * non-zero work is then a contiguous length-h axpy that the JIT vectorises, and the weight
 * gradient is accumulated in the same compact (u, h) block and scattered back once. Cost per
 * chunk: O(nnz·h) flops, O(u·h) gathered/scattered weights, O(nnz + u log u) bookkeeping; nothing
 * proportional to n except a column→slot table allocated once per instance.
 *
 * <p>Spark's own {@code SparseMatrix.multiply} was considered: it is float64-only, allocates its
 * result per call and multiplies CSC by column-major dense, so it fits neither the float32 path
 * nor the reused buffers; netlib-java has no sparse BLAS.
 *
 * <p>Lifecycle: {@link #prepare} a chunk, then any number of {@code forward}/{@code weightGrad}
 * calls on that same chunk. Not thread-safe: one per kernel.
 */
final class SparseFirstLayer {
  /**
   * W rows moved together when gathering or scattering columns: each column's TILE entries are
   * one cache line of the compact block, while TILE rows of W are each read left to right.
   */
  private static final int TILE = 16;
  private final int n;
  private final int h;
  /** Column → compact id of the current chunk, −1 for columns it does not touch. */
  private final int[] slot;
  /** The current chunk's distinct columns, increasing; {@code numTouched} are valid. */
  private int[] touched = new int[0];
  private int numTouched;
  /** Compact id of each non-zero of the current chunk, in CSR order. */
  private int[] local = new int[0];
  private float[] compact32 = new float[0];
  private double[] compact64 = new double[0];

  SparseFirstLayer(int n, int h) {
    this.n = n;
    this.h = h;
    this.slot = new int[n];
    Arrays.fill(slot, -1);
  }

  /** Maps the columns of rows {@code [row0, row0 + rows)} of {@code x} to compact ids. */
  void prepare(SparseRows x, int row0, int rows) {
    if (x.numCols() != n) {
      throw new IllegalArgumentException(
          "sparse input has " + x.numCols() + " columns, the network expects " + n);
    }
    for (int c = 0; c < numTouched; c++) {
      slot[touched[c]] = -1;
    }
    int[] col = x.colIdx();
    int p0 = x.rowPtr()[row0];
    int p1 = x.rowPtr()[row0 + rows];
    int nnz = p1 - p0;
    if (local.length < nnz) {
      local = new int[Math.max(nnz, 2 * local.length)];
    }
    int u = 0;
    for (int p = p0; p < p1; p++) {
      int k = col[p];
      if (slot[k] < 0) {
        if (u == touched.length) {
          touched = Arrays.copyOf(touched, Math.max(16, 2 * u));
        }
        slot[k] = 0;
        touched[u++] = k;
      }
    }
    Arrays.sort(touched, 0, u);
    for (int c = 0; c < u; c++) {
      slot[touched[c]] = c;
    }
    for (int p = p0; p < p1; p++) {
      local[p - p0] = slot[col[p]];
    }
    numTouched = u;
    int need = u * h;
    if (x.values32() != null && compact32.length < need) {
      compact32 = new float[Math.max(need, 2 * compact32.length)];
    } else if (x.values64() != null && compact64.length < need) {
      compact64 = new double[Math.max(need, 2 * compact64.length)];
    }
  }

  /** Z (rows, h) += X·Wᵀ for the prepared chunk; W at {@code wOff} of {@code params}. */
  void forward(SparseRows x, int row0, int rows, float[] params, int wOff, float[] z) {
    int u = numTouched;
    float[] wc = compact32;
    for (int j0 = 0; j0 < h; j0 += TILE) {
      int j1 = Math.min(h, j0 + TILE);
      for (int c = 0; c < u; c++) {
        int k = wOff + touched[c];
        int at = c * h;
        for (int j = j0; j < j1; j++) {
          wc[at + j] = params[k + j * n];
        }
      }
    }
    int[] ptr = x.rowPtr();
    float[] val = x.values32();
    int p0 = ptr[row0];
    for (int r = 0; r < rows; r++) {
      int zr = r * h;
      for (int p = ptr[row0 + r]; p < ptr[row0 + r + 1]; p++) {
        float v = val[p];
        int wr = local[p - p0] * h;
        for (int j = 0; j < h; j++) {
          z[zr + j] += v * wc[wr + j];
        }
      }
    }
  }

  /** dW (h, n) += Δᵀ·X for the prepared chunk; dW at {@code wOff} of {@code grad}. */
  void weightGrad(SparseRows x, int row0, int rows, float[] delta, float[] grad, int wOff) {
    int u = numTouched;
    float[] gc = compact32;
    Arrays.fill(gc, 0, u * h, 0f);
    int[] ptr = x.rowPtr();
    float[] val = x.values32();
    int p0 = ptr[row0];
    for (int r = 0; r < rows; r++) {
      int dr = r * h;
      for (int p = ptr[row0 + r]; p < ptr[row0 + r + 1]; p++) {
        float v = val[p];
        int gr = local[p - p0] * h;
        for (int j = 0; j < h; j++) {
          gc[gr + j] += v * delta[dr + j];
        }
      }
    }
    for (int j0 = 0; j0 < h; j0 += TILE) {
      int j1 = Math.min(h, j0 + TILE);
      for (int c = 0; c < u; c++) {
        int k = wOff + touched[c];
        int at = c * h;
        for (int j = j0; j < j1; j++) {
          grad[k + j * n] += gc[at + j];
        }
      }
    }
  }

  /** Float64 twin of {@link #forward(SparseRows, int, int, float[], int, float[])}. */
  void forward(SparseRows x, int row0, int rows, double[] params, int wOff, double[] z) {
    int u = numTouched;
    double[] wc = compact64;
    for (int j0 = 0; j0 < h; j0 += TILE) {
      int j1 = Math.min(h, j0 + TILE);
      for (int c = 0; c < u; c++) {
        int k = wOff + touched[c];
        int at = c * h;
        for (int j = j0; j < j1; j++) {
          wc[at + j] = params[k + j * n];
        }
      }
    }
    int[] ptr = x.rowPtr();
    double[] val = x.values64();
    int p0 = ptr[row0];
    for (int r = 0; r < rows; r++) {
      int zr = r * h;
      for (int p = ptr[row0 + r]; p < ptr[row0 + r + 1]; p++) {
        double v = val[p];
        int wr = local[p - p0] * h;
        for (int j = 0; j < h; j++) {
          z[zr + j] += v * wc[wr + j];
        }
      }
    }
  }

  /** Float64 twin of {@link #weightGrad(SparseRows, int, int, float[], float[], int)}. */
  void weightGrad(SparseRows x, int row0, int rows, double[] delta, double[] grad, int wOff) {
    int u = numTouched;
    double[] gc = compact64;
    Arrays.fill(gc, 0, u * h, 0.0);
    int[] ptr = x.rowPtr();
    double[] val = x.values64();
    int p0 = ptr[row0];
    for (int r = 0; r < rows; r++) {
      int dr = r * h;
      for (int p = ptr[row0 + r]; p < ptr[row0 + r + 1]; p++) {
        double v = val[p];
        int gr = local[p - p0] * h;
        for (int j = 0; j < h; j++) {
          gc[gr + j] += v * delta[dr + j];
        }
      }
    }
    for (int j0 = 0; j0 < h; j0 += TILE) {
      int j1 = Math.min(h, j0 + TILE);
      for (int c = 0; c < u; c++) {
        int k = wOff + touched[c];
        int at = c * h;
        for (int j = j0; j < j1; j++) {
          grad[k + j * n] += gc[at + j];
        }
      }
    }
  }
}
