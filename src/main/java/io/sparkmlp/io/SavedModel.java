package io.sparkmlp.io;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a trained model file holds: the architecture, the compute dtype, the flat
 * parameters (see {@link MLP} for the layout) and what is needed to use it on raw data: the
 * class labels (classification: output index i predicts label {@code classLabels[i]}), the
 * target names (regression) and the feature standardisation, if any. {@code extra} carries
 * further string metadata such as the training configuration.
 */
public final class SavedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final MLP mlp;
  private final Dtype dtype;
  private final double[] params;
  private final double[] classLabels;
  private final String[] targetNames;
  private final double[] featureMean;
  private final double[] featureStd;
  private final Map<String, String> extra;

  public SavedModel(MLP mlp, Dtype dtype, double[] params, double[] classLabels,
      String[] targetNames, double[] featureMean, double[] featureStd, Map<String, String> extra) {
    if (params.length != mlp.numParameters()) {
      throw new IllegalArgumentException("model " + mlp + " has " + mlp.numParameters()
          + " parameters, got " + params.length);
    }
    if (mlp.loss() == Loss.CROSS_ENTROPY
        && (classLabels == null || classLabels.length != mlp.numOutputs())) {
      throw new IllegalArgumentException("a classifier with " + mlp.numOutputs()
          + " outputs needs as many class labels, got "
          + (classLabels == null ? "none" : Integer.toString(classLabels.length)));
    }
    if ((featureMean == null) != (featureStd == null)
        || featureMean != null && (featureMean.length != mlp.numInputs()
            || featureStd.length != mlp.numInputs())) {
      throw new IllegalArgumentException(
          "feature mean and std must both be given with one value per input ("
              + mlp.numInputs() + "), or both be absent");
    }
    this.mlp = mlp;
    this.dtype = dtype;
    this.params = params;
    this.classLabels = classLabels;
    this.targetNames = targetNames;
    this.featureMean = featureMean;
    this.featureStd = featureStd;
    this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  public MLP mlp() {
    return mlp;
  }

  public Dtype dtype() {
    return dtype;
  }

  public double[] params() {
    return params;
  }

  public boolean isClassifier() {
    return mlp.loss() == Loss.CROSS_ENTROPY;
  }

  /** Label value of each output index, or null for regression. */
  public double[] classLabels() {
    return classLabels;
  }

  /** Names of the regression targets, or null. */
  public String[] targetNames() {
    return targetNames;
  }

  /** Per-feature mean subtracted before the network, or null without standardisation. */
  public double[] featureMean() {
    return featureMean;
  }

  /** Per-feature scale divided by before the network, or null without standardisation. */
  public double[] featureStd() {
    return featureStd;
  }

  public Map<String, String> extra() {
    return extra;
  }
}
