package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import java.util.List;
import java.util.Locale;

/**
 * When a run has diverged. Two rules, both checked on the driver:
 *
 * <ol>
 *   <li>after every step: a loss or gradient that is NaN or infinite stops training before the
 *       update is applied, keeping the last finite weights;
 *   <li>after every epoch: a mean training loss above {@value #FACTOR} × L₀ stops it, keeping
 *       the weights the epoch started from. L₀ is the loss of a network that outputs zeros on
 *       the training rows: {@code ln k} for softmax cross-entropy over k classes (every class
 *       equally likely) and {@code mean(y²)} over rows and targets for MSE. A freshly
 *       initialised network starts close to L₀ (the "loss at initialisation" sanity check), and
 *       a run that learns anything stays below it, so a loss a hundred times worse than
 *       knowing nothing is an explosion (plain SGD at lr 10⁶ on iris reaches ~10⁵ × L₀), not a
 *       noisy epoch. The rule compares one epoch with a constant of the data, never with an
 *       earlier epoch, so a resumed run checks exactly what the uninterrupted one would; it is
 *       off where L₀ is 0 (all-zero targets).
 * </ol>
 */
final class Divergence {
  /** How many times the zero-output loss an epoch's mean training loss may reach. */
  static final double FACTOR = 100;
  private static final String ADVICE = "try a smaller --lr, --standardize true or a smaller "
      + "--batch-size";

  private final double zeroOutputLoss;
  private final String zeroOutputText;

  private Divergence(double zeroOutputLoss, String zeroOutputText) {
    this.zeroOutputLoss = zeroOutputLoss;
    this.zeroOutputText = zeroOutputText;
  }

  /** The rules for training {@code mlp} on {@code train} (MSE: one pass over its targets). */
  static Divergence of(MLP mlp, Dataset train) {
    int k = mlp.numOutputs();
    if (mlp.loss() == Loss.CROSS_ENTROPY) {
      return new Divergence(Math.log(k), String.format(Locale.ROOT, "%.4g = ln %d classes",
          Math.log(k), k));
    }
    List<Double> sums = train.blocks().map(Divergence::sumOfSquaredTargets).collect();
    double sum = 0;
    for (double s : sums) {
      sum += s;
    }
    double l0 = sum / Loss.MSE.normalizer(train.numRows(), k);
    return new Divergence(l0, String.format(Locale.ROOT, "%.4g = mean of the squared targets",
        l0));
  }

  private static double sumOfSquaredTargets(Block b) {
    double sum = 0;
    int n = b.rows() * b.numTargets();
    for (int i = 0; i < n; i++) {
      double y = b.targets32() != null ? b.targets32()[i] : b.targets64()[i];
      sum += y * y;
    }
    return sum;
  }

  /**
   * Rule 1, before the update of 0-based step {@code step} of epoch {@code epoch}, given
   * whether every gradient element is finite (checked in the pass that forms the mean).
   */
  void checkStep(double loss, boolean gradientFinite, int epoch, int step, double lr,
      double[] params) {
    if (!(gradientFinite && Double.isFinite(loss))) {
      throw new TrainingDivergedException(String.format(Locale.ROOT,
          "training diverged at epoch %d step %d: the loss is %s (learning rate %s). The last "
              + "finite weights are kept; " + ADVICE, epoch + 1, step + 1, loss, lr),
          params.clone());
    }
  }

  /** Rule 2, after 0-based epoch {@code epoch}; {@code start} are the weights it began with. */
  void checkEpoch(int epoch, double trainLoss, double[] start) {
    if (zeroOutputLoss > 0 && trainLoss > FACTOR * zeroOutputLoss) {
      throw new TrainingDivergedException(String.format(Locale.ROOT,
          "training diverged in epoch %d: its mean training loss %.4g is more than %.0f x the "
              + "loss of a network that outputs zeros (%s). The weights the epoch started from "
              + "are kept; " + ADVICE, epoch + 1, trainLoss, FACTOR, zeroOutputText), start);
    }
  }
}
