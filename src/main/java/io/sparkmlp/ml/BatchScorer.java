package io.sparkmlp.ml;

import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Float32Kernel;
import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.MLP;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * Scores feature vectors with a saved model in stacked batches: rows are written into one
 * row-major matrix (standardised with the model's mean/std, {@code x' = (x − μ)/σ} in double,
 * then rounded to the model's dtype, exactly as the training blocks were) and sent through the
 * BLAS forward pass of the kernel of that dtype. The numbers are therefore the same as the
 * CLI's {@code predict} gives for the same rows.
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
  private final double[] mean;
  private final double[] std;

  BatchScorer(SavedModel model) {
    this.mlp = model.mlp();
    this.dtype = model.dtype();
    this.params = model.params();
    this.mean = model.featureMean();
    this.std = model.featureStd();
  }

  int numFeatures() {
    return mlp.numInputs();
  }

  int numOutputs() {
    return mlp.numOutputs();
  }

  /** Buffers for up to {@code capacity} rows. */
  Batch open(int capacity) {
    return new Batch(capacity);
  }

  /** One task's (or one call's) stacked rows and kernel. Not thread-safe. */
  final class Batch {
    private final int capacity;
    private final double[] row;
    private final float[] params32;
    private final float[] x32;
    private final double[] x64;
    private final float[] out32;
    private final Float32Kernel kernel32;
    private final Float64Kernel kernel64;

    private Batch(int capacity) {
      this.capacity = capacity;
      int f = mlp.numInputs();
      row = new double[f];
      boolean f32 = dtype == Dtype.FLOAT32;
      if (f32) {
        params32 = new float[params.length];
        for (int i = 0; i < params.length; i++) {
          params32[i] = (float) params[i];
        }
        kernel32 = new Float32Kernel(mlp, capacity);
        x32 = new float[capacity * f];
        out32 = new float[capacity * mlp.numOutputs()];
      } else {
        params32 = null;
        kernel32 = null;
        x32 = null;
        out32 = null;
      }
      kernel64 = f32 ? null : new Float64Kernel(mlp, capacity);
      x64 = f32 ? null : new double[capacity * f];
    }

    int capacity() {
      return capacity;
    }

    /**
     * Writes {@code v} as row {@code r}.
     *
     * @throws IllegalArgumentException when its size is not the model's feature count
     */
    void put(int r, Vector v) {
      int f = row.length;
      if (v.size() != f) {
        throw new IllegalArgumentException("features vector has " + v.size()
            + " elements, the model expects " + f);
      }
      if (v instanceof SparseVector) {
        SparseVector sv = (SparseVector) v;
        Arrays.fill(row, 0.0);
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          row[idx[k]] = val[k];
        }
      } else {
        System.arraycopy(v.toArray(), 0, row, 0, f);
      }
      int at = r * f;
      for (int j = 0; j < f; j++) {
        double x = row[j];
        if (mean != null) {
          x = (x - mean[j]) / std[j];
        }
        if (x32 != null) {
          x32[at + j] = (float) x;
        } else {
          x64[at + j] = x;
        }
      }
    }

    /** Network outputs of rows {@code 0..rows-1}, row-major (rows, outputs), widened to double. */
    double[] forward(int rows) {
      int k = mlp.numOutputs();
      double[] out = new double[rows * k];
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
  }
}
