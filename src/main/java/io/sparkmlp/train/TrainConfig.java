package io.sparkmlp.train;

import io.sparkmlp.gpu.Device;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Named;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.optim.Adam;
import io.sparkmlp.optim.ClipGradNorm;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.optim.Optimizer;
import io.sparkmlp.optim.Sgd;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's settings: the values of every {@link Settings} entry of scope
 * {@link Setting.Scope#TRAINER TRAINER} or {@link Setting.Scope#BOTH BOTH} (architecture,
 * initialisation, optimizer, schedule, batching, stopping, dtype, seed, engine, device), each
 * starting at its default. A mutable bean: {@link #set} validates a value against its setting
 * and names it when bad; the fluent setters below are shorthands for {@code set}. The CLI's
 * options and the Spark ML Params both fill one with {@link #from}.
 */
public final class TrainConfig implements SettingValues, Serializable {
  private static final long serialVersionUID = 2L;

  /** The optimizer family. */
  public enum OptimizerKind implements Named {
    SGD, ADAM, ADAMW;

    /** The optimizer named {@code s} (see {@link Named#parse}). */
    public static OptimizerKind parse(String s) {
      return Named.parse(OptimizerKind.class, "optimizer", s);
    }
  }

  /**
   * How step gradients are computed: one Spark job per step ({@code job}), one long-lived
   * stage exchanging steps over RPC ({@code stage}), or stage when all partitions fit in the
   * free task slots, else job ({@code auto}).
   */
  public enum StepEngineKind implements Named {
    JOB, STAGE, AUTO;

    /** The engine named {@code s} (see {@link Named#parse}). */
    public static StepEngineKind parse(String s) {
      return Named.parse(StepEngineKind.class, "step engine", s);
    }
  }

  /** Batch size meaning "all training rows in one step". */
  public static final int FULL_BATCH = SettingType.CountOrAll.ALL;

  /** Setting name → value, for the trainer's settings in table order. */
  private final Map<String, Object> values = new LinkedHashMap<>();

  /** Every setting at its default. */
  public TrainConfig() {
    for (Setting<?> s : Settings.TRAINER) {
      values.put(s.name(), s.defaultValue());
    }
  }

  /** The trainer's settings taken from {@code source}, each checked as {@link #set} does. */
  public static TrainConfig from(SettingValues source) {
    TrainConfig c = new TrainConfig();
    for (Setting<?> s : Settings.TRAINER) {
      c.copyFrom(s, source);
    }
    return c;
  }

  private <T> void copyFrom(Setting<T> s, SettingValues source) {
    set(s, source.get(s));
  }

  public TrainConfig copy() {
    TrainConfig c = new TrainConfig();
    c.values.putAll(values);
    return c;
  }

  /** The value of a trainer setting (a copy where it is an array). */
  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return setting.type().copy((T) values.get(trainerSetting(setting)));
  }

  /**
   * Sets a trainer setting.
   *
   * @throws IllegalArgumentException naming the value when the setting does not allow it, or
   *     when {@code setting} is not the trainer's (a data-loading setting, say)
   */
  public <T> TrainConfig set(Setting<T> setting, T value) {
    String name = trainerSetting(setting);
    setting.check(value);
    values.put(name, setting.type().copy(value));
    return this;
  }

  private static String trainerSetting(Setting<?> setting) {
    if (!setting.scope().trainer()) {
      throw new IllegalArgumentException("--" + setting.name() + " is not a trainer setting");
    }
    return setting.name();
  }

  /** The network for {@code numInputs} features and {@code numOutputs} classes or targets. */
  public MLP network(int numInputs, int numOutputs, Loss loss) {
    return new MLP(numInputs, hidden(), numOutputs, activation(), loss);
  }

  /**
   * The optimizer these hyper-parameters describe (validated by its constructor), behind
   * gradient clipping when {@code grad-clip-norm} is set.
   */
  public Optimizer newOptimizer() {
    double maxNorm = get(Settings.GRAD_CLIP_NORM);
    return maxNorm > 0 ? new ClipGradNorm(maxNorm, newStep()) : newStep();
  }

  private Optimizer newStep() {
    switch (optimizer()) {
      case SGD:
        return new Sgd(get(Settings.MOMENTUM), get(Settings.DAMPENING), get(Settings.NESTEROV),
            get(Settings.WEIGHT_DECAY));
      case ADAMW:
        return new Adam(get(Settings.BETA1), get(Settings.BETA2), get(Settings.EPS),
            get(Settings.WEIGHT_DECAY), true);
      default:
        return new Adam(get(Settings.BETA1), get(Settings.BETA2), get(Settings.EPS),
            get(Settings.WEIGHT_DECAY), false);
    }
  }

  /** The learning-rate schedule for a run of {@code stepsPerEpoch × epochs} steps. */
  public LrSchedule newSchedule(int stepsPerEpoch) {
    return new LrSchedule(get(Settings.LR_SCHEDULE), lr(), get(Settings.WARMUP_STEPS),
        (long) stepsPerEpoch * epochs(), stepsPerEpoch, get(Settings.LR_STEP_EPOCHS),
        get(Settings.LR_GAMMA));
  }

  /**
   * Every trainer setting as name → canonical text, in table order: the model file's
   * {@code train_config} and the checkpoints' run identity.
   */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Setting<?> s : Settings.TRAINER) {
      m.put(s.name(), formatted(s));
    }
    return m;
  }

  private <T> String formatted(Setting<T> s) {
    return s.format(get(s));
  }

  // ---- shorthands of set and get for the settings the library's callers use most ----

  public TrainConfig hidden(int... sizes) {
    return set(Settings.HIDDEN, sizes);
  }

  public TrainConfig activation(Activation a) {
    return set(Settings.ACTIVATION, a);
  }

  public TrainConfig weightInit(WeightInit w) {
    return set(Settings.WEIGHT_INIT, w);
  }

  public TrainConfig biasInit(BiasInit b) {
    return set(Settings.BIAS_INIT, b);
  }

  public TrainConfig dtype(Dtype d) {
    return set(Settings.DTYPE, d);
  }

  public TrainConfig seed(long s) {
    return set(Settings.SEED, s);
  }

  public TrainConfig optimizer(OptimizerKind o) {
    return set(Settings.OPTIMIZER, o);
  }

  public TrainConfig lr(double v) {
    return set(Settings.LR, v);
  }

  public TrainConfig momentum(double v) {
    return set(Settings.MOMENTUM, v);
  }

  public TrainConfig dampening(double v) {
    return set(Settings.DAMPENING, v);
  }

  public TrainConfig nesterov(boolean v) {
    return set(Settings.NESTEROV, v);
  }

  public TrainConfig weightDecay(double v) {
    return set(Settings.WEIGHT_DECAY, v);
  }

  public TrainConfig beta1(double v) {
    return set(Settings.BETA1, v);
  }

  public TrainConfig beta2(double v) {
    return set(Settings.BETA2, v);
  }

  public TrainConfig eps(double v) {
    return set(Settings.EPS, v);
  }

  public TrainConfig schedule(LrSchedule.Kind k) {
    return set(Settings.LR_SCHEDULE, k);
  }

  public TrainConfig warmupSteps(int v) {
    return set(Settings.WARMUP_STEPS, v);
  }

  public TrainConfig lrStepEpochs(int v) {
    return set(Settings.LR_STEP_EPOCHS, v);
  }

  public TrainConfig lrGamma(double v) {
    return set(Settings.LR_GAMMA, v);
  }

  /** Rows per optimizer step, or {@link #FULL_BATCH}. */
  public TrainConfig batchSize(int v) {
    return set(Settings.BATCH_SIZE, v);
  }

  public TrainConfig epochs(int v) {
    return set(Settings.EPOCHS, v);
  }

  public TrainConfig shuffle(boolean v) {
    return set(Settings.SHUFFLE, v);
  }

  /** Epochs without a better validation loss before stopping; 0 turns early stopping off. */
  public TrainConfig earlyStoppingPatience(int v) {
    return set(Settings.EARLY_STOPPING_PATIENCE, v);
  }

  public TrainConfig stepEngine(StepEngineKind v) {
    return set(Settings.STEP_ENGINE, v);
  }

  /** Where executors compute: the CPU kernels, the CUDA backend, or the GPU when assigned one. */
  public TrainConfig device(Device v) {
    return set(Settings.DEVICE, v);
  }

  public int[] hidden() {
    return get(Settings.HIDDEN);
  }

  public Activation activation() {
    return get(Settings.ACTIVATION);
  }

  public WeightInit weightInit() {
    return get(Settings.WEIGHT_INIT);
  }

  public BiasInit biasInit() {
    return get(Settings.BIAS_INIT);
  }

  public Dtype dtype() {
    return get(Settings.DTYPE);
  }

  public long seed() {
    return get(Settings.SEED);
  }

  public OptimizerKind optimizer() {
    return get(Settings.OPTIMIZER);
  }

  public double lr() {
    return get(Settings.LR);
  }

  public int batchSize() {
    return get(Settings.BATCH_SIZE);
  }

  public int epochs() {
    return get(Settings.EPOCHS);
  }

  public boolean shuffle() {
    return get(Settings.SHUFFLE);
  }

  public int earlyStoppingPatience() {
    return get(Settings.EARLY_STOPPING_PATIENCE);
  }

  public StepEngineKind stepEngine() {
    return get(Settings.STEP_ENGINE);
  }

  public Device device() {
    return get(Settings.DEVICE);
  }
}
