package io.sparkmlp.train;

import io.sparkmlp.nn.Loss;
import java.io.Serializable;

/**
 * Summed validation figures of some rows, mergeable across partitions: the summed loss and,
 * for classification, the number of correct predictions; for regression the sum of squared
 * errors and the sum and sum of squares of the targets (for R²). With sample weights every
 * figure is weighted ({@code Σ wᵢ ℓᵢ}, the weight of the correct rows, {@code Σ wᵢ tᵢ}, ...)
 * and {@code weightSum} takes the place of the row count, as in MLlib's weighted evaluators:
 * weighted accuracy, weighted MSE and R²; without weights {@code weightSum} is the row count.
 */
public final class ValidationStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final double lossSum;
  final double quality;
  final long rows;
  final double weightSum;
  final double targetSum;
  final double targetSquares;

  ValidationStats(double lossSum, double quality, long rows, double weightSum, double targetSum,
      double targetSquares) {
    this.lossSum = lossSum;
    this.quality = quality;
    this.rows = rows;
    this.weightSum = weightSum;
    this.targetSum = targetSum;
    this.targetSquares = targetSquares;
  }

  ValidationStats plus(ValidationStats o) {
    return new ValidationStats(lossSum + o.lossSum, quality + o.quality, rows + o.rows,
        weightSum + o.weightSum, targetSum + o.targetSum, targetSquares + o.targetSquares);
  }

  /**
   * Regression: {@code R² = 1 − SSE/SST}, pooled over all targets, with SST about the targets'
   * mean (validation-sized sums in double; the evaluate command's metrics are the exact
   * reference); NaN for classification.
   */
  double r2(Loss loss, int outputs) {
    if (loss == Loss.CROSS_ENTROPY) {
      return Double.NaN;
    }
    double count = weightSum * outputs;
    double sst = targetSquares - targetSum * targetSum / count;
    return 1 - quality / sst;
  }

  /** Mean loss, as the training loss is defined (rows, or rows × outputs for MSE). */
  double meanLoss(Loss loss, int outputs) {
    return lossSum / loss.normalizer(weightSum, outputs);
  }

  /** Accuracy (classification) or RMSE over all outputs (regression). */
  double metric(Loss loss, int outputs) {
    return loss == Loss.CROSS_ENTROPY ? quality / weightSum
        : Math.sqrt(quality / (weightSum * outputs));
  }
}
