package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.Standardization;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Float32Kernel;
import io.sparkmlp.nn.Float64Kernel;
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
    private float[] val32 = new float[0];
    private double[] scaled64 = new double[0];
    private final float[] params32;
    private float[] x32;
    private double[] x64;
    private final float[] out32;
    private final Float32Kernel kernel32;
    private final Float64Kernel kernel64;

    private Batch(int capacity, InputLayout layout) {
      this.capacity = capacity;
      this.layout = layout;
      this.ptr = new int[capacity + 1];
      boolean f32 = dtype == Dtype.FLOAT32;
      if (f32) {
        params32 = new float[params.length];
        for (int i = 0; i < params.length; i++) {
          params32[i] = (float) params[i];
        }
        kernel32 = new Float32Kernel(mlp, capacity);
        out32 = new float[capacity * mlp.numOutputs()];
      } else {
        params32 = null;
        kernel32 = null;
        out32 = null;
      }
      kernel64 = f32 ? null : new Float64Kernel(mlp, capacity);
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
      int k = mlp.numOutputs();
      int f = mlp.numInputs();
      double[] out = new double[rows * k];
      int nnz = ptr[rows];
      if (layout.sparse(nnz / ((double) rows * f))) {
        forwardSparse(rows, nnz, out);
        return out;
      }
      stackDense(rows);
      if (kernel32 != null) {
        kernel32.forward(params32, x32, 0, rows, out32, 0);
        for (int i = 0; i < rows * k; i++) {
          out[i] = out32[i];
        }
      } else {
        kernel64.forward(params, x64, 0, rows, out, 0);
      }
      return out;
    }

    /** CSR rows: standardised as x/σ with the centre μ/σ (see SparseRows), in the dtype. */
    private void forwardSparse(int rows, int nnz, double[] out) {
      int f = mlp.numInputs();
      if (kernel32 != null) {
        if (val32.length < nnz) {
          val32 = new float[idx.length];
        }
        for (int p = 0; p < nnz; p++) {
          val32[p] = (float) standardization.sparseValue(idx[p], val[p]);
        }
        kernel32.forward(params32,
            SparseRows.of32(rows, f, ptr, idx, val32, standardization.center()), 0, rows,
            out32, 0);
        for (int i = 0; i < rows * mlp.numOutputs(); i++) {
          out[i] = out32[i];
        }
        return;
      }
      if (scaled64.length < nnz) {
        scaled64 = new double[idx.length];
      }
      for (int p = 0; p < nnz; p++) {
        scaled64[p] = standardization.sparseValue(idx[p], val[p]);
      }
      kernel64.forward(params,
          SparseRows.of64(rows, f, ptr, idx, scaled64, standardization.center()), 0, rows, out, 0);
    }

    /** Dense rows: {@code x' = (x − μ)/σ} in double, rounded to the dtype. */
    private void stackDense(int rows) {
      int f = mlp.numInputs();
      if (kernel32 != null && x32 == null) {
        x32 = new float[capacity * f];
      } else if (kernel64 != null && x64 == null) {
        x64 = new double[capacity * f];
      }
      double[] row = new double[f];
      for (int r = 0; r < rows; r++) {
        Arrays.fill(row, 0.0);
        for (int p = ptr[r]; p < ptr[r + 1]; p++) {
          row[idx[p]] = val[p];
        }
        standardization.putDense(row, r * f, x32, x64);
      }
    }
  }
}
