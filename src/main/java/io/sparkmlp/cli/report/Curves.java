package io.sparkmlp.cli.report;

import io.sparkmlp.train.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The report's line plots from the run's history. Steps are placed on the epoch axis at
 * {@code epoch - 1 + step / steps per epoch}, so a step's loss sits inside the epoch it belongs
 * to and the epoch means (drawn at the epoch's end) line up with them.
 */
final class Curves {
  private Curves() {}

  /** Training loss per epoch, validation loss per epoch (if any), per-step loss if recorded. */
  static byte[] loss(List<EpochMetrics> history, List<StepPoint> steps) {
    List<Charts.Line> lines = new ArrayList<>();
    if (!steps.isEmpty()) {
      double[] x = new double[steps.size()];
      double[] y = new double[steps.size()];
      long perEpoch = history.get(0).steps;
      for (int i = 0; i < x.length; i++) {
        StepPoint p = steps.get(i);
        x[i] = p.epoch() - 1 + (double) p.step() / perEpoch;
        y[i] = p.loss();
      }
      lines.add(new Charts.Line("train (step)", x, y, false));
    }
    lines.add(new Charts.Line("train (epoch mean)", epochs(history),
        field(history, m -> m.trainLoss), true));
    if (Double.isFinite(history.get(0).valLoss)) {
      lines.add(new Charts.Line("validation", epochs(history), field(history, m -> m.valLoss),
          true));
    }
    return Charts.lineChart("Loss", "epoch", "loss", lines, false);
  }

  /** Validation accuracy in percent (classifier) or RMSE (regression) per epoch. */
  static byte[] quality(List<EpochMetrics> history, boolean classifier) {
    double[] y = field(history, m -> classifier ? 100 * m.valMetric : m.valMetric);
    String name = classifier ? "validation accuracy (%)" : "validation RMSE";
    return Charts.lineChart(classifier ? "Validation accuracy" : "Validation RMSE", "epoch", name,
        List.of(new Charts.Line(name, epochs(history), y, true)), false);
  }

  /** The learning rate per recorded step, else at the last step of each epoch. */
  static byte[] learningRate(List<EpochMetrics> history, List<StepPoint> steps) {
    if (steps.isEmpty()) {
      return Charts.lineChart("Learning rate", "epoch", "learning rate",
          List.of(new Charts.Line("lr", epochs(history), field(history, m -> m.lr), true)), true);
    }
    double[] x = new double[steps.size()];
    double[] y = new double[steps.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = steps.get(i).globalStep();
      y[i] = steps.get(i).lr();
    }
    return Charts.lineChart("Learning rate", "step", "learning rate",
        List.of(new Charts.Line("lr", x, y, false)), true);
  }

  private static double[] epochs(List<EpochMetrics> history) {
    return field(history, m -> m.epoch);
  }

  private static double[] field(List<EpochMetrics> history,
      ToDoubleFunction<EpochMetrics> f) {
    return history.stream().mapToDouble(f).toArray();
  }
}
