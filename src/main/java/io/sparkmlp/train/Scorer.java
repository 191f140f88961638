package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.TargetScaling;
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

  /**
   * Loss, accuracy/squared-error sums of a block's outputs, each row's terms times its sample
   * weight when the block has weights: see {@link ValidationStats}.
   */
  public ValidationStats validate(Block block) {
    return validate(block, null);
  }

  /**
   * As {@link #validate(Block)} for a block whose targets are stored standardised with
   * {@code targets} (null: as they are): the loss stays the network's, on the standardised
   * targets, while the squared errors and the targets' sums (RMSE, R²) are taken in the targets'
   * own units, {@code y = σ·z + μ} and {@code ŷ − y = σ·(ẑ − z)}.
   */
  public ValidationStats validate(Block block, TargetScaling targets) {
    int k = mlp.numOutputs();
    int rows = block.rows();
    double[] out = outputs(block);
    double loss = 0;
    double quality = 0;
    double targetSum = 0;
    double targetSquares = 0;
    double[] w = block.rowWeights();
    if (mlp.loss() == Loss.CROSS_ENTROPY) {
      int[] y = block.labels();
      for (int r = 0; r < rows; r++) {
        int o = r * k;
        double wr = w == null ? 1.0 : w[r];
        loss += wr * (Softmax.logSumExp(out, o, k) - out[o + y[r]]);
        quality += argmax(out, o, k) == y[r] ? wr : 0;
      }
    } else {
      for (int i = 0; i < rows * k; i++) {
        double wr = w == null ? 1.0 : w[i / k];
        double t = block.target(i);
        double d = out[i] - t;
        loss += wr * (d * d);
        double e = targets == null ? d : targets.std(i % k) * d;
        double y = targets == null ? t : targets.original(i % k, t);
        quality += wr * (e * e);
        targetSum += wr * y;
        targetSquares += wr * (y * y);
      }
    }
    return new ValidationStats(loss, quality, rows, block.weightSum(null, 0, rows), targetSum,
        targetSquares);
  }
}
