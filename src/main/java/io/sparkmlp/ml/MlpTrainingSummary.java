package io.sparkmlp.ml;

import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainResult;
import java.io.Serializable;
import java.util.List;

/**
 * What a fit reported, per epoch (index 0 is epoch 1): the mean training loss (cross-entropy
 * or MSE as the steps saw it), and with a validation part ({@code validationFraction > 0}) the
 * validation loss and metric (accuracy for a classifier, RMSE for a regressor) and, for a
 * regressor, R²; NaN where there is no validation part. Held by the fitted model; not saved
 * with it.
 */
public final class MlpTrainingSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] trainLoss;
  private final double[] validationLoss;
  private final double[] validationMetric;
  private final double[] validationR2;
  private final int bestEpoch;
  private final boolean stoppedEarly;
  private final double seconds;
  private final String metricName;

  MlpTrainingSummary(TrainResult result, boolean classifier) {
    List<EpochMetrics> h = result.history;
    int n = h.size();
    trainLoss = new double[n];
    validationLoss = new double[n];
    validationMetric = new double[n];
    validationR2 = new double[n];
    for (int i = 0; i < n; i++) {
      EpochMetrics m = h.get(i);
      trainLoss[i] = m.trainLoss;
      validationLoss[i] = m.valLoss;
      validationMetric[i] = m.valMetric;
      validationR2[i] = m.valR2;
    }
    bestEpoch = result.bestEpoch;
    stoppedEarly = result.stoppedEarly;
    seconds = result.seconds;
    metricName = classifier ? "accuracy" : "rmse";
  }

  /** Mean training loss of each epoch (as Spark's {@code objectiveHistory}). */
  public double[] objectiveHistory() {
    return trainLoss.clone();
  }

  public double[] validationLossHistory() {
    return validationLoss.clone();
  }

  /** Validation accuracy (classifier) or RMSE (regressor) of each epoch. */
  public double[] validationMetricHistory() {
    return validationMetric.clone();
  }

  /** Validation R² of each epoch (regressor; NaN for a classifier). */
  public double[] validationR2History() {
    return validationR2.clone();
  }

  /** {@code accuracy} or {@code rmse}: what {@link #validationMetricHistory()} holds. */
  public String metricName() {
    return metricName;
  }

  /** Epochs run. */
  public int totalIterations() {
    return trainLoss.length;
  }

  /** The 1-based epoch whose weights the model holds (lowest validation loss, else the last). */
  public int bestEpoch() {
    return bestEpoch;
  }

  public boolean stoppedEarly() {
    return stoppedEarly;
  }

  /** Wall time of the training loop (without loading the data). */
  public double trainingSeconds() {
    return seconds;
  }
}
