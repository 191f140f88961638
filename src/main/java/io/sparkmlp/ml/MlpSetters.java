package io.sparkmlp.ml;

import io.sparkmlp.train.Setting;
import org.apache.spark.ml.param.Param;

/**
 * The fluent setters of the training settings, for the estimators ({@code E} is the estimator's
 * own type, so chained calls keep it): {@link #set(Setting, Object)} for any setting, and typed
 * shorthands for the most used ones. Each validates its value with the Param's validator and
 * throws {@link IllegalArgumentException} naming the value otherwise; see {@link MlpParams} for
 * what each one means.
 */
public interface MlpSetters<E extends MlpSetters<E>> extends MlpParams {

  /** Sets any training setting, e.g. {@code set(Settings.DEVICE, Device.GPU)}. */
  default <T> E set(Setting<T> setting, T value) {
    return with(mlpParamSet().param(setting), MlpParamSet.toParam(setting.type().copy(value)));
  }

  /** Hidden layer widths, e.g. {@code 128, 64}; none gives a linear (softmax/affine) model. */
  default E setHiddenLayers(int... sizes) {
    return with(hiddenLayers(), sizes.clone());
  }

  /** relu, leaky_relu, sigmoid, tanh, gelu or identity. */
  default E setActivation(String value) {
    return with(activation(), value);
  }

  /** pytorch, kaiming_uniform or xavier_uniform. */
  default E setWeightInit(String value) {
    return with(weightInit(), value);
  }

  /** pytorch or zeros. */
  default E setBiasInit(String value) {
    return with(biasInit(), value);
  }

  /** sgd, adam or adamw. */
  default E setOptimizer(String value) {
    return with(optimizer(), value);
  }

  default E setLr(double value) {
    return with(lr(), value);
  }

  default E setMomentum(double value) {
    return with(momentum(), value);
  }

  default E setDampening(double value) {
    return with(dampening(), value);
  }

  default E setNesterov(boolean value) {
    return with(nesterov(), value);
  }

  default E setWeightDecay(double value) {
    return with(weightDecay(), value);
  }

  default E setBeta1(double value) {
    return with(beta1(), value);
  }

  default E setBeta2(double value) {
    return with(beta2(), value);
  }

  default E setEps(double value) {
    return with(eps(), value);
  }

  /** constant, step or cosine. */
  default E setLrSchedule(String value) {
    return with(lrSchedule(), value);
  }

  default E setWarmupSteps(int value) {
    return with(warmupSteps(), value);
  }

  default E setLrStepEpochs(int value) {
    return with(lrStepEpochs(), value);
  }

  default E setLrGamma(double value) {
    return with(lrGamma(), value);
  }

  /** Rows per optimizer step over all partitions, or 0 for full-batch training. */
  default E setBatchSize(int value) {
    return with(batchSize(), value);
  }

  /** Epochs (passes over the training rows). */
  default E setMaxIter(int value) {
    return with(maxIter(), value);
  }

  default E setShuffle(boolean value) {
    return with(shuffle(), value);
  }

  default E setSeed(long value) {
    return with(seed(), value);
  }

  /** float32 or float64. */
  default E setDtype(String value) {
    return with(dtype(), value);
  }

  default E setStandardize(boolean value) {
    return with(standardize(), value);
  }

  /** auto, dense or sparse: see {@link io.sparkmlp.data.InputLayout}. */
  default E setInputLayout(String value) {
    return with(inputLayout(), value);
  }

  default E setValidationFraction(double value) {
    return with(validationFraction(), value);
  }

  default E setEarlyStoppingPatience(int value) {
    return with(earlyStoppingPatience(), value);
  }

  /** A safetensors state_dict (ours, or PyTorch's for the same architecture) to start from. */
  default E setInitWeights(String path) {
    return with(initWeights(), path);
  }

  default E setNumPartitions(int value) {
    return with(numPartitions(), value);
  }

  @SuppressWarnings("unchecked")
  private <T> E with(Param<T> param, T value) {
    set(param, value);
    return (E) this;
  }
}
