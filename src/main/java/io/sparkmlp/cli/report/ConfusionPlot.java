package io.sparkmlp.cli.report;

import io.sparkmlp.metrics.ClassificationMetrics;
import java.util.Locale;

/**
 * The confusion matrix of a classifier's scores as a PNG heat map with counts, shared by the
 * training report (validation set) and {@code evaluate --plot} (the data it scored), so both
 * look the same.
 */
public final class ConfusionPlot {
  private ConfusionPlot() {}

  /** The PNG of {@code metrics}' confusion matrix, axes labelled with the original labels. */
  public static byte[] png(String dataName, ClassificationMetrics metrics, double[] classLabels) {
    String subtitle = String.format(Locale.ROOT, "%s: %d rows, accuracy %.2f%%", dataName,
        metrics.count(), 100 * metrics.accuracy());
    return Charts.confusionMatrix("Confusion matrix", subtitle, metrics.confusionMatrix(),
        labelTexts(classLabels));
  }

  /**
   * {@link #png} naming {@code software} in a PNG text chunk ({@code Software}), by which a
   * re-run recognises the file as its own output.
   */
  public static byte[] png(String dataName, ClassificationMetrics metrics, double[] classLabels,
      String software) {
    return Charts.withText(png(dataName, metrics, classLabels), "Software", software);
  }

  /** Class labels as the user wrote them: {@code 3} for 3.0, {@code 0.5} otherwise. */
  static String[] labelTexts(double[] classLabels) {
    String[] texts = new String[classLabels.length];
    for (int k = 0; k < texts.length; k++) {
      double x = classLabels[k];
      texts[k] = x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x)
          : Double.toString(x);
    }
    return texts;
  }
}
