package io.sparkmlp.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Accuracy, per-class precision/recall/F1, macro F1, log loss and the confusion matrix of a
 * {@code numClasses}-way classifier, as a mergeable accumulator: each Spark partition fills one
 * with {@link #add} on an executor, the driver {@link #merge}s them in partition order.
 *
 * <p>Definitions (matching scikit-learn 1.2 with {@code labels=range(numClasses)} and
 * {@code zero_division=0}); with confusion matrix {@code C[true][predicted]}, for class k:
 * {@code tp = C[k][k]}, {@code fp = Σ_i C[i][k] − tp}, {@code fn = Σ_j C[k][j] − tp}, and
 *
 * <ul>
 *   <li>predicted class = argmax of the row's probabilities, the first maximum winning (as
 *       {@code numpy.argmax});
 *   <li>{@code accuracy = Σ_k C[k][k] / rows};
 *   <li>{@code precision(k) = tp / (tp + fp)}, {@code recall(k) = tp / (tp + fn)}, {@code f1(k)
 *       = 2·tp / (2·tp + fp + fn)} (the harmonic mean of the two, in one division); each is 0
 *       when its denominator is 0;
 *   <li>{@code macroF1} = the unweighted mean of {@code f1(k)} over <em>all</em> classes, so a
 *       class that is never true nor predicted counts as 0 (scikit-learn's default would drop
 *       it; declaring the classes keeps scores comparable across data splits);
 *   <li>{@code logLoss = mean(−ln max(p_true, 1e-15))}: the probability given to the true class,
 *       clipped below as {@code sklearn.metrics.log_loss(eps=1e-15)} does, so a confident
 *       mistake costs at most ≈ 34.54 instead of ∞. scikit-learn also clips at {@code 1 − eps}
 *       and renormalises each row to sum 1; for softmax outputs that changes a row's loss by
 *       about 1e-15 (more if rows do not sum to 1, as here they are taken as given).
 * </ul>
 *
 * <p>Counts are exact {@code long}s, so merging is exact and order-independent for them; the
 * log-loss sum is a {@code double} summed in merge order. With no rows, accuracy and log loss are
 * NaN and the other scores 0. NaN probabilities (a diverged model) compare false in the argmax,
 * so only a NaN in first position is predicted, and a NaN true-class probability makes the log
 * loss NaN.
 *
 * <p>Sample weights ({@link #add(int, double[], int, double)}): each row adds its weight
 * {@code w} instead of 1 to a weighted confusion matrix {@code C_w}, from which accuracy,
 * precision, recall, F1 and the log loss ({@code Σw·(−ln p)/Σw}) are computed as above, as
 * MLlib's {@code MulticlassClassificationEvaluator} with {@code weightCol} and scikit-learn's
 * {@code sample_weight} do. {@link #confusionMatrix()} and {@link #support} still count rows;
 * {@link #weightedConfusionMatrix()} holds the weights. Without weights every row weighs 1, so
 * the weighted matrix holds the counts and every figure is exactly the unweighted one.
 */
public final class ClassificationMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Lower clip of the true class's probability in {@link #logLoss()}. */
  public static final double LOG_LOSS_EPS = 1e-15;

  private final int numClasses;
  private final long[][] confusion;
  /** The rows' weights summed per cell {@code [true][predicted]}; the counts without weights. */
  private final double[][] weights;
  private long count;
  private double weightSum;
  private boolean weighted;
  private double logLossSum;

  public ClassificationMetrics(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.confusion = new long[numClasses][numClasses];
    this.weights = new double[numClasses][numClasses];
  }

  /**
   * Adds one row: its true class and the predicted probabilities
   * {@code probabilities[offset .. offset + numClasses)}.
   *
   * @throws IllegalArgumentException if {@code trueClass} is not in {@code [0, numClasses)}
   * @throws IndexOutOfBoundsException if the row does not fit in {@code probabilities}
   */
  public void add(int trueClass, double[] probabilities, int offset) {
    addRow(trueClass, probabilities, offset, 1.0);
  }

  /**
   * Adds one row of sample weight {@code weight} (finite, {@code >= 0}): as {@link #add} with
   * the row counted {@code weight} times in every figure but the row counts.
   */
  public void add(int trueClass, double[] probabilities, int offset, double weight) {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("sample weight must be finite and >= 0, got " + weight);
    }
    weighted = true;
    addRow(trueClass, probabilities, offset, weight);
  }

  private void addRow(int trueClass, double[] probabilities, int offset, double w) {
    if (trueClass < 0 || trueClass >= numClasses) {
      throw new IllegalArgumentException(
          "true class " + trueClass + " is outside [0, " + numClasses + ")");
    }
    Objects.checkFromIndexSize(offset, numClasses, probabilities.length);
    int predicted = 0;
    for (int k = 1; k < numClasses; k++) {
      if (probabilities[offset + k] > probabilities[offset + predicted]) {
        predicted = k;
      }
    }
    confusion[trueClass][predicted]++;
    weights[trueClass][predicted] += w;
    count++;
    weightSum += w;
    logLossSum -= w * Math.log(Math.max(probabilities[offset + trueClass], LOG_LOSS_EPS));
  }

  /**
   * Adds {@code other}'s rows to this one's and returns this.
   *
   * @throws IllegalArgumentException if the class counts differ
   */
  public ClassificationMetrics merge(ClassificationMetrics other) {
    if (other.numClasses != numClasses) {
      throw new IllegalArgumentException("cannot merge metrics of " + other.numClasses
          + " classes into metrics of " + numClasses + " classes");
    }
    for (int t = 0; t < numClasses; t++) {
      for (int p = 0; p < numClasses; p++) {
        confusion[t][p] += other.confusion[t][p];
        weights[t][p] += other.weights[t][p];
      }
    }
    count += other.count;
    weightSum += other.weightSum;
    weighted |= other.weighted;
    logLossSum += other.logLossSum;
    return this;
  }

  public int numClasses() {
    return numClasses;
  }

  /** Rows added. */
  public long count() {
    return count;
  }

  /** A copy of the counts {@code [true class][predicted class]}. */
  public long[][] confusionMatrix() {
    long[][] copy = new long[numClasses][];
    for (int t = 0; t < numClasses; t++) {
      copy[t] = confusion[t].clone();
    }
    return copy;
  }

  /** The sum of the rows' sample weights: {@link #count()} when every row weighs 1. */
  public double weightSum() {
    return weightSum;
  }

  /** Whether rows were added with sample weights. */
  public boolean weighted() {
    return weighted;
  }

  /** A copy of the weights {@code [true class][predicted class]} (the counts, unweighted). */
  public double[][] weightedConfusionMatrix() {
    double[][] copy = new double[numClasses][];
    for (int t = 0; t < numClasses; t++) {
      copy[t] = weights[t].clone();
    }
    return copy;
  }

  public double accuracy() {
    double correct = 0;
    for (int k = 0; k < numClasses; k++) {
      correct += weights[k][k];
    }
    return correct / weightSum;
  }

  /** Rows whose true class is {@code k}. */
  public long support(int k) {
    long sum = 0;
    for (long c : confusion[Objects.checkIndex(k, numClasses)]) {
      sum += c;
    }
    return sum;
  }

  /** The weight of the rows whose true class is {@code k} (their count, unweighted). */
  public double weightedSupport(int k) {
    double sum = 0;
    for (double c : weights[Objects.checkIndex(k, numClasses)]) {
      sum += c;
    }
    return sum;
  }

  /** The weight of the rows predicted as {@code k}. */
  private double predicted(int k) {
    double sum = 0;
    for (double[] row : weights) {
      sum += row[k];
    }
    return sum;
  }

  /** {@code tp / (tp + fp)}, 0 when class {@code k} is never predicted. */
  public double precision(int k) {
    return ratio(weights[Objects.checkIndex(k, numClasses)][k], predicted(k));
  }

  /** {@code tp / (tp + fn)}, 0 when class {@code k} is never true. */
  public double recall(int k) {
    return ratio(weights[Objects.checkIndex(k, numClasses)][k], weightedSupport(k));
  }

  /** {@code 2·tp / (2·tp + fp + fn)}, 0 when class {@code k} is never true nor predicted. */
  public double f1(int k) {
    double tp = weights[Objects.checkIndex(k, numClasses)][k];
    return ratio(2 * tp, weightedSupport(k) + predicted(k));
  }

  /** Mean of {@link #precision} over all classes. */
  public double macroPrecision() {
    double sum = 0;
    for (int k = 0; k < numClasses; k++) {
      sum += precision(k);
    }
    return sum / numClasses;
  }

  /** Mean of {@link #recall} over all classes. */
  public double macroRecall() {
    double sum = 0;
    for (int k = 0; k < numClasses; k++) {
      sum += recall(k);
    }
    return sum / numClasses;
  }

  /** Mean of {@link #f1} over all classes. */
  public double macroF1() {
    double sum = 0;
    for (int k = 0; k < numClasses; k++) {
      sum += f1(k);
    }
    return sum / numClasses;
  }

  /** Mean of {@code −ln max(p_true, 1e-15)}; NaN without rows or if a used probability is NaN. */
  public double logLoss() {
    return logLossSum / weightSum;
  }

  /**
   * The metrics as JSON: {@code rows}, {@code accuracy}, {@code macro_f1}, {@code log_loss},
   * {@code per_class} (array of {@code {label, precision, recall, f1, support}}) and
   * {@code confusion_matrix} (array of rows, row = true class, column = predicted class).
   * NaN metrics are written as {@code null}.
   *
   * @param classLabels the original label of each class index, e.g. {@code 0.0, 1.0, 7.0}
   */
  public ObjectNode toJson(double[] classLabels) {
    checkLabels(classLabels);
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("rows", count);
    if (weighted) {
      json.put("weight_sum", weightSum);
    }
    json.set("accuracy", Report.number(accuracy()));
    json.set("macro_f1", Report.number(macroF1()));
    json.set("log_loss", Report.number(logLoss()));
    ArrayNode perClass = json.putArray("per_class");
    for (int k = 0; k < numClasses; k++) {
      ObjectNode c = perClass.addObject();
      c.set("label", Report.label(classLabels[k]));
      c.set("precision", Report.number(precision(k)));
      c.set("recall", Report.number(recall(k)));
      c.set("f1", Report.number(f1(k)));
      c.put("support", support(k));
      if (weighted) {
        c.put("support_weight", weightedSupport(k));
      }
    }
    ArrayNode matrix = json.putArray("confusion_matrix");
    for (long[] row : confusion) {
      ArrayNode r = matrix.addArray();
      for (long c : row) {
        r.add(c);
      }
    }
    if (weighted) {
      ArrayNode wm = json.putArray("confusion_matrix_weighted");
      for (double[] row : weights) {
        ArrayNode r = wm.addArray();
        for (double c : row) {
          r.add(c);
        }
      }
    }
    return json;
  }

  /**
   * A report like scikit-learn's {@code classification_report} (per class, then the macro
   * average) followed by the confusion matrix.
   */
  public String toText(double[] classLabels) {
    checkLabels(classLabels);
    String[] names = new String[numClasses];
    int width = "macro avg".length();
    for (int k = 0; k < numClasses; k++) {
      names[k] = Report.labelText(classLabels[k]);
      width = Math.max(width, names[k].length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "rows %d, %saccuracy %.4f, macro F1 %.4f, log loss %.6f%n%n", count, weighted
            ? String.format(Locale.ROOT, "sample weights summing to %.6g, weighted ", weightSum)
            : "", accuracy(), macroF1(), logLoss()));
    String row = "%" + width + "s %10s %10s %10s %10s%n";
    String values = "%" + width + "s %10.4f %10.4f %10.4f %10d%n";
    sb.append(String.format(Locale.ROOT, row, "class", "precision", "recall", "f1", "support"));
    for (int k = 0; k < numClasses; k++) {
      sb.append(String.format(Locale.ROOT, values, names[k], precision(k), recall(k), f1(k),
          support(k)));
    }
    sb.append(String.format(Locale.ROOT, values, "macro avg", macroPrecision(), macroRecall(),
        macroF1(), count));
    sb.append(String.format(Locale.ROOT,
        "%nconfusion matrix (rows: true class, columns: predicted class)%n"));
    int cell = Long.toString(count).length();
    for (String n : names) {
      cell = Math.max(cell, n.length());
    }
    String cellFormat = " %" + cell + "s";
    sb.append(String.format(Locale.ROOT, "%" + width + "s", "true\\pred"));
    for (String n : names) {
      sb.append(String.format(Locale.ROOT, cellFormat, n));
    }
    sb.append(System.lineSeparator());
    for (int t = 0; t < numClasses; t++) {
      sb.append(String.format(Locale.ROOT, "%" + width + "s", names[t]));
      for (long c : confusion[t]) {
        sb.append(String.format(Locale.ROOT, cellFormat, c));
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }

  private void checkLabels(double[] classLabels) {
    if (classLabels.length != numClasses) {
      throw new IllegalArgumentException("got " + classLabels.length + " class labels for "
          + numClasses + " classes");
    }
  }

  private static double ratio(double numerator, double denominator) {
    return denominator == 0 ? 0.0 : numerator / denominator;
  }
}
