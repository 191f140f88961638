package io.sparkmlp.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainResult;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fit reported, per epoch (index 0 is epoch 1): the mean training loss (cross-entropy
 * or MSE as the steps saw it; on the standardised targets when {@code standardizeTargets}),
 * and with a validation part ({@code validationFraction > 0} or a
 * {@code validationIndicatorCol}) the validation loss and metric (accuracy for a classifier,
 * RMSE for a regressor, in the targets' units) and, for a regressor, R²; NaN where there is no
 * validation part. Also the best epoch, whether training stopped early, and the effective
 * settings (every training setting's value, by Param name).
 *
 * <p>Saved with the model: the model file's metadata holds it as JSON under
 * {@value #KEY} ({@link #toJson}), so a loaded model answers {@code summary()} as the fitted
 * one did (NaN is written as JSON null).
 */
public final class MlpTrainingSummary implements Serializable {
  private static final long serialVersionUID = 2L;
  /** The model file metadata key that holds the summary. */
  static final String KEY = "training_summary";

  private final double[] trainLoss;
  private final double[] validationLoss;
  private final double[] validationMetric;
  private final double[] validationR2;
  private final int bestEpoch;
  private final boolean stoppedEarly;
  private final double seconds;
  private final String metricName;
  private final Map<String, String> settings;

  MlpTrainingSummary(TrainResult result, boolean classifier, Map<String, String> settings) {
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
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  private MlpTrainingSummary(JsonNode j) {
    trainLoss = doubles(j.get("objective_history"));
    validationLoss = doubles(j.get("validation_loss_history"));
    validationMetric = doubles(j.get("validation_metric_history"));
    validationR2 = doubles(j.get("validation_r2_history"));
    bestEpoch = j.get("best_epoch").asInt();
    stoppedEarly = j.get("stopped_early").asBoolean();
    seconds = j.get("training_seconds").asDouble();
    metricName = j.get("metric").asText();
    Map<String, String> m = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = j.get("settings").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    settings = Collections.unmodifiableMap(m);
  }

  /** The summary a model file holds ({@value #KEY}), or null (e.g. a CLI-trained model). */
  static MlpTrainingSummary of(SavedModel model) {
    String json = model.extra().get(KEY);
    if (json == null) {
      return null;
    }
    try {
      return new MlpTrainingSummary(new ObjectMapper().readTree(json));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("the model's " + KEY + " metadata is not a training "
          + "summary: " + e.getMessage(), e);
    }
  }

  /** This summary as the JSON the model file stores. */
  String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode j = json.createObjectNode();
    put(j.putArray("objective_history"), trainLoss);
    put(j.putArray("validation_loss_history"), validationLoss);
    put(j.putArray("validation_metric_history"), validationMetric);
    put(j.putArray("validation_r2_history"), validationR2);
    j.put("metric", metricName);
    j.put("best_epoch", bestEpoch);
    j.put("stopped_early", stoppedEarly);
    j.put("training_seconds", seconds);
    ObjectNode s = j.putObject("settings");
    settings.forEach(s::put);
    return j.toString();
  }

  private static void put(ArrayNode a, double[] v) {
    for (double x : v) {
      if (Double.isFinite(x)) {
        a.add(x);
      } else {
        a.addNull();
      }
    }
  }

  private static double[] doubles(JsonNode a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).isNull() ? Double.NaN : a.get(i).asDouble();
    }
    return v;
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

  /**
   * The effective training settings of the fit, Param name → canonical text
   * ({@code hiddenLayers} → {@code 32}, {@code lr} → {@code 0.01}, ...), every setting of the
   * table and {@code validationIndicatorCol} when set.
   */
  public Map<String, String> settings() {
    return settings;
  }

  /** Wall time of the training loop (without loading the data). */
  public double trainingSeconds() {
    return seconds;
  }
}
