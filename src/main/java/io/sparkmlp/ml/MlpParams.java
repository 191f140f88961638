package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.train.TrainConfig;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training hyper-parameters shared by {@link MlpClassifier}, {@link MlpRegressor} and their
 * models (a model carries the values it was trained with). Each maps one-to-one onto a
 * {@link TrainConfig} setting or a {@link LoadOptions} setting, with the CLI option of the same
 * meaning: {@code hiddenLayers} ↔ {@code --hidden}, {@code maxIter} ↔ {@code --epochs},
 * {@code batchSize} 0 ↔ {@code --batch-size full}, {@code numPartitions} ↔ {@code --partitions},
 * the rest by name. Values are validated when set (Spark's {@code ParamValidators}, naming the
 * bad value) and again, with the trainer's messages, when combined at fit time.
 *
 * <p>The Param objects live in each stage's {@link MlpParamSet}; the accessors here are what
 * Spark's reflection ({@link Params#params()}) finds.
 */
public interface MlpParams extends Params {
  /** This stage's Param objects. */
  MlpParamSet mlpParamSet();

  default IntArrayParam hiddenLayers() {
    return mlpParamSet().hiddenLayers;
  }

  default Param<String> activation() {
    return mlpParamSet().activation;
  }

  default Param<String> weightInit() {
    return mlpParamSet().weightInit;
  }

  default Param<String> biasInit() {
    return mlpParamSet().biasInit;
  }

  default Param<String> optimizer() {
    return mlpParamSet().optimizer;
  }

  default DoubleParam lr() {
    return mlpParamSet().lr;
  }

  default DoubleParam momentum() {
    return mlpParamSet().momentum;
  }

  default DoubleParam dampening() {
    return mlpParamSet().dampening;
  }

  default BooleanParam nesterov() {
    return mlpParamSet().nesterov;
  }

  default DoubleParam weightDecay() {
    return mlpParamSet().weightDecay;
  }

  default DoubleParam beta1() {
    return mlpParamSet().beta1;
  }

  default DoubleParam beta2() {
    return mlpParamSet().beta2;
  }

  default DoubleParam eps() {
    return mlpParamSet().eps;
  }

  default Param<String> lrSchedule() {
    return mlpParamSet().lrSchedule;
  }

  default IntParam warmupSteps() {
    return mlpParamSet().warmupSteps;
  }

  default IntParam lrStepEpochs() {
    return mlpParamSet().lrStepEpochs;
  }

  default DoubleParam lrGamma() {
    return mlpParamSet().lrGamma;
  }

  default IntParam batchSize() {
    return mlpParamSet().batchSize;
  }

  default IntParam maxIter() {
    return mlpParamSet().maxIter;
  }

  default BooleanParam shuffle() {
    return mlpParamSet().shuffle;
  }

  default LongParam seed() {
    return mlpParamSet().seed;
  }

  default Param<String> dtype() {
    return mlpParamSet().dtype;
  }

  default BooleanParam standardize() {
    return mlpParamSet().standardize;
  }

  default Param<String> inputLayout() {
    return mlpParamSet().inputLayout;
  }

  default DoubleParam validationFraction() {
    return mlpParamSet().validationFraction;
  }

  default IntParam earlyStoppingPatience() {
    return mlpParamSet().earlyStoppingPatience;
  }

  default Param<String> initWeights() {
    return mlpParamSet().initWeights;
  }

  default IntParam numPartitions() {
    return mlpParamSet().numPartitions;
  }

  default int[] getHiddenLayers() {
    return getOrDefault(hiddenLayers()).clone();
  }

  default String getActivation() {
    return getOrDefault(activation());
  }

  default String getWeightInit() {
    return getOrDefault(weightInit());
  }

  default String getBiasInit() {
    return getOrDefault(biasInit());
  }

  default String getOptimizer() {
    return getOrDefault(optimizer());
  }

  default double getLr() {
    return (Double) getOrDefault(lr());
  }

  default double getMomentum() {
    return (Double) getOrDefault(momentum());
  }

  default double getDampening() {
    return (Double) getOrDefault(dampening());
  }

  default boolean getNesterov() {
    return (Boolean) getOrDefault(nesterov());
  }

  default double getWeightDecay() {
    return (Double) getOrDefault(weightDecay());
  }

  default double getBeta1() {
    return (Double) getOrDefault(beta1());
  }

  default double getBeta2() {
    return (Double) getOrDefault(beta2());
  }

  default double getEps() {
    return (Double) getOrDefault(eps());
  }

  default String getLrSchedule() {
    return getOrDefault(lrSchedule());
  }

  default int getWarmupSteps() {
    return (Integer) getOrDefault(warmupSteps());
  }

  default int getLrStepEpochs() {
    return (Integer) getOrDefault(lrStepEpochs());
  }

  default double getLrGamma() {
    return (Double) getOrDefault(lrGamma());
  }

  /** Rows per step, or 0 for the full training set in one step. */
  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  /** Epochs. */
  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default boolean getShuffle() {
    return (Boolean) getOrDefault(shuffle());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default String getDtype() {
    return getOrDefault(dtype());
  }

  default boolean getStandardize() {
    return (Boolean) getOrDefault(standardize());
  }

  default String getInputLayout() {
    return getOrDefault(inputLayout());
  }

  default double getValidationFraction() {
    return (Double) getOrDefault(validationFraction());
  }

  default int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience());
  }

  /** The initial weights' path, or null for seeded initialisation. */
  default String getInitWeights() {
    return isDefined(initWeights()) ? getOrDefault(initWeights()) : null;
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  /**
   * The trainer configuration these values describe, validated by {@link TrainConfig}'s setters
   * (e.g. a learning rate of +Infinity passes Spark's {@code > 0} check but not the trainer's).
   */
  default TrainConfig toTrainConfig() {
    return new TrainConfig()
        .hidden(getHiddenLayers())
        .activation(Activation.parse(getActivation()))
        .weightInit(WeightInit.parse(getWeightInit()))
        .biasInit(BiasInit.parse(getBiasInit()))
        .dtype(Dtype.parse(getDtype()))
        .seed(getSeed())
        .optimizer(TrainConfig.OptimizerKind.parse(getOptimizer()))
        .lr(getLr())
        .momentum(getMomentum())
        .dampening(getDampening())
        .nesterov(getNesterov())
        .weightDecay(getWeightDecay())
        .beta1(getBeta1())
        .beta2(getBeta2())
        .eps(getEps())
        .schedule(LrSchedule.Kind.parse(getLrSchedule()))
        .warmupSteps(getWarmupSteps())
        .lrStepEpochs(getLrStepEpochs())
        .lrGamma(getLrGamma())
        .batchSize(getBatchSize())
        .epochs(getMaxIter())
        .shuffle(getShuffle())
        .earlyStoppingPatience(getEarlyStoppingPatience());
  }

  /**
   * How the training DataFrame is stacked: dtype, partitions, validation split, scaling, layout.
   */
  default LoadOptions toLoadOptions() {
    return LoadOptions.defaults()
        .withDtype(Dtype.parse(getDtype()))
        .withPartitions(getNumPartitions())
        .withValidationFraction(getValidationFraction())
        .withSeed(getSeed())
        .withStandardize(getStandardize())
        .withLayout(InputLayout.parse(getInputLayout()));
  }
}
