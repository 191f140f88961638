package io.sparkmlp.ml;

import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.train.Setting;
import io.sparkmlp.train.SettingValues;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training settings ({@link Settings}) as the Params of {@link MlpClassifier},
 * {@link MlpRegressor} and their models (a model carries the values it was trained with). Every
 * setting is a Param of the same meaning as the CLI option, named in camelCase:
 * {@code hiddenLayers} ↔ {@code --hidden}, {@code maxIter} ↔ {@code --epochs},
 * {@code batchSize} 0 ↔ {@code --batch-size full}, {@code numPartitions} ↔ {@code --partitions},
 * {@code weightInit} ↔ {@code --init}, the rest by name ({@code stepEngine}, {@code device},
 * ...). Values are validated when set (naming the bad value) and again, with the trainer's
 * messages, when combined at fit time.
 *
 * <p>The Param objects live in each stage's {@link MlpParamSet}. The typed accessors and getters
 * here (and the setters of {@link MlpSetters}) are shorthands for the most used settings; any
 * setting is read with {@link #get(Setting)}, set with {@link MlpSetters#set(Setting, Object)},
 * or reached by name with Spark's {@code getParam}.
 */
public interface MlpParams extends Params, SettingValues {
  /** This stage's Param objects. */
  MlpParamSet mlpParamSet();

  /**
   * The stage's uid, kept by its {@link MlpParamSet} (the held one while the Scala superclass
   * constructor runs, see {@link PendingUid}).
   */
  @Override
  default String uid() {
    return MlpParamSet.uidOf(mlpParamSet());
  }

  /** This stage's value of any training setting, e.g. {@code get(Settings.STEP_ENGINE)}. */
  @Override
  default <T> T get(Setting<T> setting) {
    return mlpParamSet().value(this, setting);
  }

  default IntArrayParam hiddenLayers() {
    return mlpParamSet().param(Settings.HIDDEN);
  }

  default Param<String> activation() {
    return mlpParamSet().param(Settings.ACTIVATION);
  }

  default Param<String> weightInit() {
    return mlpParamSet().param(Settings.WEIGHT_INIT);
  }

  default Param<String> biasInit() {
    return mlpParamSet().param(Settings.BIAS_INIT);
  }

  default Param<String> optimizer() {
    return mlpParamSet().param(Settings.OPTIMIZER);
  }

  default DoubleParam lr() {
    return mlpParamSet().param(Settings.LR);
  }

  default DoubleParam momentum() {
    return mlpParamSet().param(Settings.MOMENTUM);
  }

  default DoubleParam dampening() {
    return mlpParamSet().param(Settings.DAMPENING);
  }

  default BooleanParam nesterov() {
    return mlpParamSet().param(Settings.NESTEROV);
  }

  default DoubleParam weightDecay() {
    return mlpParamSet().param(Settings.WEIGHT_DECAY);
  }

  default DoubleParam beta1() {
    return mlpParamSet().param(Settings.BETA1);
  }

  default DoubleParam beta2() {
    return mlpParamSet().param(Settings.BETA2);
  }

  default DoubleParam eps() {
    return mlpParamSet().param(Settings.EPS);
  }

  default Param<String> lrSchedule() {
    return mlpParamSet().param(Settings.LR_SCHEDULE);
  }

  default IntParam warmupSteps() {
    return mlpParamSet().param(Settings.WARMUP_STEPS);
  }

  default IntParam lrStepEpochs() {
    return mlpParamSet().param(Settings.LR_STEP_EPOCHS);
  }

  default DoubleParam lrGamma() {
    return mlpParamSet().param(Settings.LR_GAMMA);
  }

  default IntParam batchSize() {
    return mlpParamSet().param(Settings.BATCH_SIZE);
  }

  default IntParam maxIter() {
    return mlpParamSet().param(Settings.EPOCHS);
  }

  default BooleanParam shuffle() {
    return mlpParamSet().param(Settings.SHUFFLE);
  }

  default LongParam seed() {
    return mlpParamSet().param(Settings.SEED);
  }

  default Param<String> dtype() {
    return mlpParamSet().param(Settings.DTYPE);
  }

  default BooleanParam standardize() {
    return mlpParamSet().param(Settings.STANDARDIZE);
  }

  default BooleanParam standardizeTargets() {
    return mlpParamSet().param(Settings.STANDARDIZE_TARGETS);
  }

  default Param<String> inputLayout() {
    return mlpParamSet().param(Settings.INPUT_LAYOUT);
  }

  default DoubleParam validationFraction() {
    return mlpParamSet().param(Settings.VALIDATION_FRACTION);
  }

  default IntParam earlyStoppingPatience() {
    return mlpParamSet().param(Settings.EARLY_STOPPING_PATIENCE);
  }

  /** Spark ML's {@code weightCol}: the numeric column of the rows' sample weights. */
  default Param<String> weightCol() {
    return mlpParamSet().param(Settings.WEIGHT_COL);
  }

  default Param<String> initWeights() {
    return mlpParamSet().param(Settings.INIT_WEIGHTS);
  }

  default IntParam numPartitions() {
    return mlpParamSet().param(Settings.PARTITIONS);
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

  /** Whether regression targets are standardised for training (see {@code TargetScaling}). */
  default boolean getStandardizeTargets() {
    return (Boolean) getOrDefault(standardizeTargets());
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

  /**
   * The sample weights' column, or null when every row weighs 1 (not set, or set empty, as
   * Spark ML's {@code weightCol}).
   */
  default String getWeightCol() {
    String c = isDefined(weightCol()) ? getOrDefault(weightCol()) : null;
    return c == null || c.isEmpty() ? null : c;
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  /**
   * The trainer configuration these values describe, validated by {@link TrainConfig#set}
   * (e.g. a learning rate of +Infinity passes Spark's {@code > 0} check but not the trainer's).
   */
  /** See {@link #getValidationIndicatorCol()}. */
  default Param<String> validationIndicatorCol() {
    return mlpParamSet().validationIndicatorCol;
  }

  /**
   * The boolean column whose true rows are the validation set (held out from training, scored
   * every epoch, used by early stopping), or null (unset: {@code validationFraction} draws it).
   */
  default String getValidationIndicatorCol() {
    return isDefined(validationIndicatorCol()) ? getOrDefault(validationIndicatorCol()) : null;
  }

  default TrainConfig toTrainConfig() {
    return TrainConfig.from(this);
  }

  /**
   * How the training DataFrame is stacked: dtype, partitions, validation split, scaling, layout,
   * from the same values as {@link #toTrainConfig()}.
   */
  default LoadOptions toLoadOptions() {
    return Settings.loadOptions(this);
  }
}
