package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.Standardization;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Examples;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.SparseRows;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * Scores feature vectors with a saved model in stacked batches: rows are collected as their
 * non-zeros, then either stacked into one row-major matrix (standardised with the model's
 * mean/std, {@code x' = (x − μ)/σ} in double, then rounded to the model's dtype, exactly as dense
 * training blocks were) for the BLAS forward pass, or, for sparse batches, multiplied sparse ×
 * dense in CSR exactly as sparse training blocks were. The numbers are therefore those the CLI's
 * {@code predict} gives for the same rows in the same layout.
 *
 * <p>Serializable (shipped to tasks); the working buffers live in a {@link Batch}, one per task.
 */
final class BatchScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows stacked per forward pass in {@code transform}. */
  static final int BATCH_ROWS = 1024;

  private final MLP mlp;
  private final Dtype dtype;
  private final double[] params;
  private final Standardization standardization;

  BatchScorer(SavedModel model) {
    this.mlp = model.mlp();
    this.dtype = model.dtype();
    this.params = model.params();
    this.standardization = Standardization.of(model.featureMean(), model.featureStd());
  }

  int numFeatures() {
    return mlp.numInputs();
  }

  int numOutputs() {
    return mlp.numOutputs();
  }

  /** Buffers for up to {@code capacity} rows, scored dense or sparse as {@code layout} says. */
  Batch open(int capacity, InputLayout layout) {
    return new Batch(capacity, layout);
  }

  /**
   * One task's (or one call's) stacked rows and kernel. Not thread-safe. Rows are kept as their
   * non-zeros (CSR), so sparse vectors are never densified on the way in; {@link #forward}
   * then multiplies them sparse when the layout says so for the batch's density
   * ({@link InputLayout#sparse(double)}), else stacks them into a dense matrix.
   */
  final class Batch {
    private final int capacity;
    private final InputLayout layout;
    private final int[] ptr;
    private int[] idx = new int[0];
    private double[] val = new double[0];
    private double[] scaled = new double[0];
    private double[] x;
    private final Kernel kernel;

    private Batch(int capacity, InputLayout layout) {
      this.capacity = capacity;
      this.layout = layout;
      this.ptr = new int[capacity + 1];
      this.kernel = Kernel.cpu(mlp, dtype, capacity);
      kernel.loadWeights(params);
    }

    int capacity() {
      return capacity;
    }

    /**
     * Writes {@code v} as row {@code r}; rows are put in order 0, 1, 2, ...
     *
     * @throws IllegalArgumentException when its size is not the model's feature count
     */
    void put(int r, Vector v) {
      int f = mlp.numInputs();
      if (v.size() != f) {
        throw new IllegalArgumentException("features vector has " + v.size()
            + " elements, the model expects " + f);
      }
      int at = ptr[r];
      if (v instanceof SparseVector) {
        SparseVector sv = (SparseVector) v;
        int[] i = sv.indices();
        double[] x = sv.values();
        reserve(at + i.length);
        for (int k = 0; k < i.length; k++) {
          if (x[k] != 0.0) {
            idx[at] = i[k];
            val[at++] = x[k];
          }
        }
      } else {
        double[] x = v.toArray();
        reserve(at + f);
        for (int j = 0; j < f; j++) {
          if (x[j] != 0.0) {
            idx[at] = j;
            val[at++] = x[j];
          }
        }
      }
      ptr[r + 1] = at;
    }

    private void reserve(int n) {
      if (idx.length < n) {
        int size = Math.max(n, 2 * idx.length);
        idx = Arrays.copyOf(idx, size);
        val = Arrays.copyOf(val, size);
      }
    }

    /** Network outputs of rows {@code 0..rows-1}, row-major (rows, outputs), widened to double. */
    double[] forward(int rows) {
      int f = mlp.numInputs();
      double[] out = new double[rows * mlp.numOutputs()];
      int nnz = ptr[rows];
      Examples batch = layout.sparse(nnz / ((double) rows * f)) ? sparse(rows, nnz) : dense(rows);
      kernel.forward(batch, 0, rows, out, 0);
      return out;
    }

    /**
     * CSR rows standardised as x/σ with the centre μ/σ (see SparseRows), in double: the kernel
     * rounds the values to its dtype.
     */
    private Examples sparse(int rows, int nnz) {
      if (scaled.length < nnz) {
        scaled = new double[idx.length];
      }
      for (int p = 0; p < nnz; p++) {
        scaled[p] = standardization.sparseValue(idx[p], val[p]);
      }
      return Examples.of(SparseRows.of64(rows, mlp.numInputs(), ptr, idx, scaled,
          standardization.center()), null, null);
    }

    /** Dense rows: {@code x' = (x − μ)/σ} in double, which the kernel rounds to its dtype. */
    private Examples dense(int rows) {
      int f = mlp.numInputs();
      if (x == null) {
        x = new double[capacity * f];
      }
      double[] row = new double[f];
      for (int r = 0; r < rows; r++) {
        Arrays.fill(row, 0.0);
        for (int p = ptr[r]; p < ptr[r + 1]; p++) {
          row[idx[p]] = val[p];
        }
        standardization.putDense(row, r * f, null, x);
      }
      return Examples.of(rows, x, null, null);
    }
  }
}
