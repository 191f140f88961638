package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Float32Kernel;
import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Softmax;

/**
 * Forward passes over whole blocks in the block's dtype, batched through BLAS
 * ({@link PartitionStepper#CHUNK_ROWS} rows at a time), and the per-row maths on their outputs
 * (softmax, loss) that validation, prediction and evaluation share.
 */
public final class Scorer {
  private final MLP mlp;
  private final Float32Kernel kernel32;
  private final Float64Kernel kernel64;
  private final float[] params32;
  private final double[] params64;

  /** A scorer for parameters {@code params} (flat layout) in {@code dtype}. */
  public Scorer(MLP mlp, Dtype dtype, double[] params) {
    this.mlp = mlp;
    if (dtype == Dtype.FLOAT32) {
      kernel32 = new Float32Kernel(mlp, PartitionStepper.CHUNK_ROWS);
      kernel64 = null;
      params32 = new float[params.length];
      for (int i = 0; i < params.length; i++) {
        params32[i] = (float) params[i];
      }
      params64 = null;
    } else {
      kernel32 = null;
      kernel64 = new Float64Kernel(mlp, PartitionStepper.CHUNK_ROWS);
      params32 = null;
      params64 = params;
    }
  }

  /** Network outputs of every row of the block, row-major (rows, n_output), widened to double. */
  public double[] outputs(Block block) {
    int k = mlp.numOutputs();
    double[] out = new double[block.rows() * k];
    if (kernel32 != null) {
      float[] o = new float[block.rows() * k];
      if (block.isSparse()) {
        kernel32.forward(params32, block.sparse(), 0, block.rows(), o, 0);
      } else {
        kernel32.forward(params32, block.x32(), 0, block.rows(), o, 0);
      }
      for (int i = 0; i < o.length; i++) {
        out[i] = o[i];
      }
    } else if (block.isSparse()) {
      kernel64.forward(params64, block.sparse(), 0, block.rows(), out, 0);
    } else {
      kernel64.forward(params64, block.x64(), 0, block.rows(), out, 0);
    }
    return out;
  }

  /** Index of the largest of {@code k} values from {@code offset} (the first on ties). */
  public static int argmax(double[] values, int offset, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (values[offset + j] > values[offset + best]) {
        best = j;
      }
    }
    return best;
  }

  /** Loss, accuracy/squared-error sums of a block's outputs: see {@link ValidationStats}. */
  public ValidationStats validate(Block block) {
    int k = mlp.numOutputs();
    int rows = block.rows();
    double[] out = outputs(block);
    double loss = 0;
    double quality = 0;
    double targetSum = 0;
    double targetSquares = 0;
    if (mlp.loss() == Loss.CROSS_ENTROPY) {
      int[] y = block.labels();
      for (int r = 0; r < rows; r++) {
        int o = r * k;
        loss += Softmax.logSumExp(out, o, k) - out[o + y[r]];
        quality += argmax(out, o, k) == y[r] ? 1 : 0;
      }
    } else {
      for (int i = 0; i < rows * k; i++) {
        double t = block.targets32() != null ? block.targets32()[i] : block.targets64()[i];
        double d = out[i] - t;
        loss += d * d;
        targetSum += t;
        targetSquares += t * t;
      }
      quality = loss;
    }
    return new ValidationStats(loss, quality, rows, targetSum, targetSquares);
  }
}
