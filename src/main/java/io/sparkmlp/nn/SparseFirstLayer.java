package io.sparkmlp.nn;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkmlp.blas.Blas;
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
 * columns once into a contiguous Wc (u, h) (16 W rows at a time, each read left to right); the
 * weight gradient is accumulated in a compact (u, h) block too and scattered back once. Nothing
 * is proportional to n except a column→slot table allocated once per instance.
 *
 * <p>Two ways to multiply the compacted chunk, chosen per chunk by its density over the touched
 * columns, {@code d = nnz / (rows·u)}:
 * <ul>
 *   <li>{@code d >= GEMM_ABOVE}: the chunk is stacked as a dense Xc (rows, u) and both products
 *       are BLAS GEMMs, {@code Z += Xc·Wc} and {@code dWc = Xcᵀ·Δ}: rows·u·h flops at GEMM speed.
 *       Data such as MNIST (19 % dense, every pixel column touched by a 1024-row chunk) runs
 *       this way, at dense speed while the cache holds only the non-zeros.
 *   <li>otherwise, one length-h axpy per non-zero, {@code Z[r, :] += v·Wc[c, :]}: nnz·h flops.
 *       Wide hashed or one-hot data (u close to nnz) runs this way; a GEMM would multiply
 *       mostly zeros there.
 * </ul>
 * The axpy loop runs at a fraction of GEMM's rate (the JIT does not vectorise its offset
 * accesses, and each non-zero streams a row of Wc), which is where {@code GEMM_ABOVE} comes from:
 * BENCHMARKS.md, figure 6.
 *
 * <p>Spark's own {@code SparseMatrix.multiply} was considered: it is float64-only, allocates its
 * result per call and multiplies CSC by column-major dense, so it fits neither the float32 path
 * nor the reused buffers; netlib-java has no sparse BLAS.
 *
 * <p>Lifecycle: {@link #prepare} a chunk, {@code forward} it, then (training) {@code weightGrad}
 * on that same chunk, which reuses the forward's Xc. Not thread-safe: one per kernel.
 */
final class SparseFirstLayer {
  /**
   * Density over the touched columns from which a chunk is multiplied by GEMM: where the axpy
   * loop's nnz·h flops take as long as GEMM's rows·u·h (BENCHMARKS.md, figure 6).
   */
  static final double GEMM_ABOVE = 0.06;
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
  /** Whether the prepared chunk is multiplied as a dense Xc by GEMM. */
  private boolean viaGemm;
  /** GEMM chunks: Xc (rows, u) row-major, filled by the forward product. */
  private float[] xc32 = new float[0];
  private double[] xc64 = new double[0];
  private final BLAS blas = Blas.get();
  private final double gemmAbove;

  /** {@code gemmAbove}: {@link #GEMM_ABOVE}, or 0 / +∞ to force one method (tests). */
  SparseFirstLayer(int n, int h, double gemmAbove) {
    this.n = n;
    this.h = h;
    this.gemmAbove = gemmAbove;
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
    viaGemm = u > 0 && nnz >= gemmAbove * rows * u;
    int need = u * h;
    if (x.values32() != null && compact32.length < need) {
      compact32 = new float[Math.max(need, 2 * compact32.length)];
    } else if (x.values64() != null && compact64.length < need) {
      compact64 = new double[Math.max(need, 2 * compact64.length)];
    }
    int cells = viaGemm ? rows * u : 0;
    if (x.values32() != null && xc32.length < cells) {
      xc32 = new float[Math.max(cells, 2 * xc32.length)];
    } else if (x.values64() != null && xc64.length < cells) {
      xc64 = new double[Math.max(cells, 2 * xc64.length)];
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
    if (viaGemm) {
      // Xc (rows, u) from the chunk; Zᵀ (h, rows) += Wcᵀ (h, u) · Xcᵀ (u, rows)
      float[] xc = xc32;
      Arrays.fill(xc, 0, rows * u, 0f);
      for (int r = 0; r < rows; r++) {
        for (int p = ptr[row0 + r]; p < ptr[row0 + r + 1]; p++) {
          xc[r * u + local[p - p0]] = val[p];
        }
      }
      blas.sgemm("N", "N", h, rows, u, 1f, wc, 0, h, xc, 0, u, 1f, z, 0, h);
      return;
    }
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
    if (viaGemm) {
      // dWcᵀ (h, u) = Δᵀ (h, rows) · Xc (rows, u), Xc as the forward product left it
      blas.sgemm("N", "T", h, u, rows, 1f, delta, 0, h, xc32, 0, u, 0f, gc, 0, h);
    } else {
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
    if (viaGemm) {
      // Xc (rows, u) from the chunk; Zᵀ (h, rows) += Wcᵀ (h, u) · Xcᵀ (u, rows)
      double[] xc = xc64;
      Arrays.fill(xc, 0, rows * u, 0.0);
      for (int r = 0; r < rows; r++) {
        for (int p = ptr[row0 + r]; p < ptr[row0 + r + 1]; p++) {
          xc[r * u + local[p - p0]] = val[p];
        }
      }
      blas.dgemm("N", "N", h, rows, u, 1.0, wc, 0, h, xc, 0, u, 1.0, z, 0, h);
      return;
    }
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
    if (viaGemm) {
      // dWcᵀ (h, u) = Δᵀ (h, rows) · Xc (rows, u), Xc as the forward product left it
      blas.dgemm("N", "T", h, u, rows, 1.0, delta, 0, h, xc64, 0, u, 0.0, gc, 0, h);
    } else {
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
