package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.nn.Softmax;
import io.sparkmlp.train.Scorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The body of a model's {@code transform}: each partition's rows are taken
 * {@link BatchScorer#BATCH_ROWS} at a time, stacked and scored in one forward pass, and
 * returned with the output columns appended (in this order, each only when its column name is
 * non-empty): a classifier's raw prediction (the logits), probability (their softmax) and
 * prediction (the class label value); a regressor's prediction (a double, or a vector of the
 * targets for a model of several). Rows stream through: a partition
 * is never held whole.
 */
final class PredictRows implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final BatchScorer scorer;
  private final InputLayout layout;
  private final int featuresIndex;
  private final String featuresCol;
  /** Classifier: label value of each output; null for a regressor. */
  private final double[] classLabels;
  /** Classifier: Spark's per-class thresholds, or null. */
  private final double[] thresholds;
  private final boolean raw;
  private final boolean probability;
  private final boolean prediction;

  private PredictRows(BatchScorer scorer, InputLayout layout, int featuresIndex,
      String featuresCol, double[] classLabels, double[] thresholds, boolean raw,
      boolean probability, boolean prediction) {
    this.scorer = scorer;
    this.layout = layout;
    this.featuresIndex = featuresIndex;
    this.featuresCol = featuresCol;
    this.classLabels = classLabels;
    this.thresholds = thresholds;
    this.raw = raw;
    this.probability = probability;
    this.prediction = prediction;
  }

  static PredictRows classifier(BatchScorer scorer, InputLayout layout, int featuresIndex,
      String featuresCol, double[] classLabels, double[] thresholds, boolean raw,
      boolean probability, boolean prediction) {
    return new PredictRows(scorer, layout, featuresIndex, featuresCol, classLabels, thresholds, raw,
        probability, prediction);
  }

  static PredictRows regressor(BatchScorer scorer, InputLayout layout, int featuresIndex,
      String featuresCol) {
    return new PredictRows(scorer, layout, featuresIndex, featuresCol, null, null, false, false,
        true);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    BatchScorer.Batch batch = scorer.open(BatchScorer.BATCH_ROWS, layout);
    TaskContext tc = TaskContext.get();
    int partition = tc == null ? 0 : tc.partitionId();
    return new Iterator<>() {
      private final List<Row> rows = new ArrayList<>(batch.capacity());
      private double[] out;
      private double[] probs;
      private int next;
      private long seen;

      @Override
      public boolean hasNext() {
        if (next < rows.size()) {
          return true;
        }
        fill();
        return !rows.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return output(rows.get(next), out, probs, next++);
      }

      private void fill() {
        rows.clear();
        next = 0;
        while (rows.size() < batch.capacity() && input.hasNext()) {
          Row r = input.next();
          if (r.isNullAt(featuresIndex)) {
            throw new IllegalArgumentException("row " + seen + " of partition " + partition
                + ": null features vector in column '" + featuresCol + "'");
          }
          try {
            batch.put(rows.size(), (Vector) r.get(featuresIndex));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("row " + seen + " of partition " + partition
                + ", column '" + featuresCol + "': " + e.getMessage(), e);
          }
          rows.add(r);
          seen++;
        }
        if (!rows.isEmpty()) {
          out = batch.forward(rows.size());
          if (classLabels != null) {
            probs = out.clone();
            Softmax.inPlace(probs, rows.size(), scorer.numOutputs());
          }
        }
      }
    };
  }

  private Row output(Row in, double[] out, double[] probs, int r) {
    int k = scorer.numOutputs();
    int width = in.length();
    Object[] values = new Object[width + (raw ? 1 : 0) + (probability ? 1 : 0)
        + (prediction ? 1 : 0)];
    for (int i = 0; i < width; i++) {
      values[i] = in.get(i);
    }
    int at = width;
    if (classLabels == null) {
      values[at] = k == 1 ? (Object) out[r]
          : Vectors.dense(Arrays.copyOfRange(out, r * k, r * k + k));
      return RowFactory.create(values);
    }
    if (raw) {
      values[at++] = Vectors.dense(Arrays.copyOfRange(out, r * k, r * k + k));
    }
    if (probability) {
      values[at++] = Vectors.dense(Arrays.copyOfRange(probs, r * k, r * k + k));
    }
    if (prediction) {
      values[at] = classLabels[predictedIndex(probs, r * k, k, thresholds)];
    }
    return RowFactory.create(values);
  }

  /**
   * The predicted class index: the most probable class (the first on ties), or with thresholds
   * {@code t} Spark's rule, the largest {@code p_i / t_i} (a class with {@code t_i = 0} wins
   * unless its probability is 0 too).
   */
  static int predictedIndex(double[] probs, int offset, int k, double[] thresholds) {
    if (thresholds == null) {
      return Scorer.argmax(probs, offset, k);
    }
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double scaled = probs[offset + j] / thresholds[j];
      if (scaled > max) {
        max = scaled;
        best = j;
      }
    }
    return best;
  }
}
