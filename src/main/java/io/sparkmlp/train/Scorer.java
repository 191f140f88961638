package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Softmax;

/**
 * Forward passes over whole blocks with the CPU kernel of the block's dtype, batched through BLAS
 * ({@link PartitionStepper#CHUNK_ROWS} rows at a time), and the per-row maths on their outputs
 * (softmax, loss) that validation, prediction and evaluation share.
 */
public final class Scorer {
  private final MLP mlp;
  private final Kernel kernel;

  /** A scorer for parameters {@code params} (flat layout) in {@code dtype}. */
  public Scorer(MLP mlp, Dtype dtype, double[] params) {
    this.mlp = mlp;
    this.kernel = Kernel.cpu(mlp, dtype, PartitionStepper.CHUNK_ROWS);
    kernel.loadWeights(params);
  }

  /** Network outputs of every row of the block, row-major (rows, n_output), widened to double. */
  public double[] outputs(Block block) {
    double[] out = new double[block.rows() * mlp.numOutputs()];
    kernel.forward(block, 0, block.rows(), out, 0);
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
        double t = block.target(i);
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
