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
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.optim.Optimizer;
import io.sparkmlp.optim.Sgd;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters of a training run: architecture, initialisation, optimizer, schedule,
 * batching and stopping. A mutable bean with fluent setters that validate and name the bad
 * value; the CLI's options and the Spark ML Params both fill one. Defaults (set here, once):
 * hidden 128, relu, pytorch init, Adam(lr 0.001, β 0.9/0.999, ε 1e-8), constant schedule,
 * batch 128, 10 epochs, shuffle on, float32, seed 42, no early stopping.
 */
public final class TrainConfig implements Serializable {
  private static final long serialVersionUID = 1L;

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
  public static final int FULL_BATCH = 0;

  private int[] hidden = {128};
  private Activation activation = Activation.RELU;
  private WeightInit weightInit = WeightInit.PYTORCH;
  private BiasInit biasInit = BiasInit.PYTORCH;
  private Dtype dtype = Dtype.FLOAT32;
  private long seed = 42;
  private OptimizerKind optimizer = OptimizerKind.ADAM;
  private double lr = 1e-3;
  private double momentum = 0.0;
  private double dampening = 0.0;
  private boolean nesterov = false;
  private double weightDecay = 0.0;
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double eps = 1e-8;
  private LrSchedule.Kind schedule = LrSchedule.Kind.CONSTANT;
  private int warmupSteps = 0;
  private int lrStepEpochs = 10;
  private double lrGamma = 0.1;
  private int batchSize = 128;
  private int epochs = 10;
  private boolean shuffle = true;
  private int earlyStoppingPatience = 0;
  private StepEngineKind stepEngine = StepEngineKind.AUTO;
  private Device device = Device.AUTO;

  public TrainConfig copy() {
    TrainConfig c = new TrainConfig();
    c.hidden = hidden.clone();
    c.activation = activation;
    c.weightInit = weightInit;
    c.biasInit = biasInit;
    c.dtype = dtype;
    c.seed = seed;
    c.optimizer = optimizer;
    c.lr = lr;
    c.momentum = momentum;
    c.dampening = dampening;
    c.nesterov = nesterov;
    c.weightDecay = weightDecay;
    c.beta1 = beta1;
    c.beta2 = beta2;
    c.eps = eps;
    c.schedule = schedule;
    c.warmupSteps = warmupSteps;
    c.lrStepEpochs = lrStepEpochs;
    c.lrGamma = lrGamma;
    c.batchSize = batchSize;
    c.epochs = epochs;
    c.shuffle = shuffle;
    c.earlyStoppingPatience = earlyStoppingPatience;
    c.stepEngine = stepEngine;
    c.device = device;
    return c;
  }

  /** The network for {@code numInputs} features and {@code numOutputs} classes or targets. */
  public MLP network(int numInputs, int numOutputs, Loss loss) {
    return new MLP(numInputs, hidden, numOutputs, activation, loss);
  }

  /** The optimizer these hyper-parameters describe (validated by its constructor). */
  public Optimizer newOptimizer() {
    switch (optimizer) {
      case SGD:
        return new Sgd(momentum, dampening, nesterov, weightDecay);
      case ADAMW:
        return new Adam(beta1, beta2, eps, weightDecay, true);
      default:
        return new Adam(beta1, beta2, eps, weightDecay, false);
    }
  }

  /** The learning-rate schedule for a run of {@code stepsPerEpoch × epochs} steps. */
  public LrSchedule newSchedule(int stepsPerEpoch) {
    return new LrSchedule(schedule, lr, warmupSteps, (long) stepsPerEpoch * epochs, stepsPerEpoch,
        lrStepEpochs, lrGamma);
  }

  /** Every hyper-parameter as option name → value, in a stable order (for logs and files). */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hidden", joinInts(hidden));
    m.put("activation", activation.optionName());
    m.put("init", weightInit.optionName());
    m.put("bias-init", biasInit.optionName());
    m.put("dtype", dtype.optionName());
    m.put("seed", Long.toString(seed));
    m.put("optimizer", optimizer.optionName());
    m.put("lr", Double.toString(lr));
    m.put("momentum", Double.toString(momentum));
    m.put("dampening", Double.toString(dampening));
    m.put("nesterov", Boolean.toString(nesterov));
    m.put("weight-decay", Double.toString(weightDecay));
    m.put("beta1", Double.toString(beta1));
    m.put("beta2", Double.toString(beta2));
    m.put("eps", Double.toString(eps));
    m.put("lr-schedule", schedule.optionName());
    m.put("warmup-steps", Integer.toString(warmupSteps));
    m.put("lr-step-epochs", Integer.toString(lrStepEpochs));
    m.put("lr-gamma", Double.toString(lrGamma));
    m.put("batch-size", batchSize == FULL_BATCH ? "full" : Integer.toString(batchSize));
    m.put("epochs", Integer.toString(epochs));
    m.put("shuffle", Boolean.toString(shuffle));
    m.put("early-stopping-patience", Integer.toString(earlyStoppingPatience));
    m.put("step-engine", stepEngine.optionName());
    m.put("device", device.optionName());
    return m;
  }

  static String joinInts(int[] values) {
    StringBuilder sb = new StringBuilder();
    for (int v : values) {
      sb.append(sb.length() == 0 ? "" : ",").append(v);
    }
    return sb.toString();
  }

  // ---- fluent setters (validate, name the bad value) and getters ----

  public TrainConfig hidden(int... sizes) {
    for (int h : sizes) {
      if (h < 1) {
        throw new IllegalArgumentException("hidden sizes must be >= 1, got " + Arrays.toString(sizes));
      }
    }
    this.hidden = sizes.clone();
    return this;
  }

  public TrainConfig activation(Activation a) {
    this.activation = a;
    return this;
  }

  public TrainConfig weightInit(WeightInit w) {
    this.weightInit = w;
    return this;
  }

  public TrainConfig biasInit(BiasInit b) {
    this.biasInit = b;
    return this;
  }

  public TrainConfig dtype(Dtype d) {
    this.dtype = d;
    return this;
  }

  public TrainConfig seed(long s) {
    this.seed = s;
    return this;
  }

  public TrainConfig optimizer(OptimizerKind o) {
    this.optimizer = o;
    return this;
  }

  public TrainConfig lr(double v) {
    positive("learning rate", v);
    this.lr = v;
    return this;
  }

  public TrainConfig momentum(double v) {
    Optimizer.checkNonNegative("momentum", v);
    this.momentum = v;
    return this;
  }

  public TrainConfig dampening(double v) {
    Optimizer.checkNonNegative("dampening", v);
    this.dampening = v;
    return this;
  }

  public TrainConfig nesterov(boolean v) {
    this.nesterov = v;
    return this;
  }

  public TrainConfig weightDecay(double v) {
    Optimizer.checkNonNegative("weight decay", v);
    this.weightDecay = v;
    return this;
  }

  public TrainConfig beta1(double v) {
    Optimizer.checkUnitInterval("beta1", v);
    this.beta1 = v;
    return this;
  }

  public TrainConfig beta2(double v) {
    Optimizer.checkUnitInterval("beta2", v);
    this.beta2 = v;
    return this;
  }

  public TrainConfig eps(double v) {
    positive("eps", v);
    this.eps = v;
    return this;
  }

  public TrainConfig schedule(LrSchedule.Kind k) {
    this.schedule = k;
    return this;
  }

  public TrainConfig warmupSteps(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("warmup steps must be >= 0, got " + v);
    }
    this.warmupSteps = v;
    return this;
  }

  public TrainConfig lrStepEpochs(int v) {
    if (v < 1) {
      throw new IllegalArgumentException("lr step epochs must be >= 1, got " + v);
    }
    this.lrStepEpochs = v;
    return this;
  }

  public TrainConfig lrGamma(double v) {
    if (!(v > 0 && v <= 1)) {
      throw new IllegalArgumentException("lr gamma must be in (0, 1], got " + v);
    }
    this.lrGamma = v;
    return this;
  }

  /** Rows per optimizer step, or {@link #FULL_BATCH}. */
  public TrainConfig batchSize(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("batch size must be >= 1 (or full), got " + v);
    }
    this.batchSize = v;
    return this;
  }

  public TrainConfig epochs(int v) {
    if (v < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + v);
    }
    this.epochs = v;
    return this;
  }

  public TrainConfig shuffle(boolean v) {
    this.shuffle = v;
    return this;
  }

  /** Epochs without a better validation loss before stopping; 0 turns early stopping off. */
  public TrainConfig earlyStoppingPatience(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("early stopping patience must be >= 0, got " + v);
    }
    this.earlyStoppingPatience = v;
    return this;
  }

  public int[] hidden() {
    return hidden.clone();
  }

  public Activation activation() {
    return activation;
  }

  public WeightInit weightInit() {
    return weightInit;
  }

  public BiasInit biasInit() {
    return biasInit;
  }

  public Dtype dtype() {
    return dtype;
  }

  public long seed() {
    return seed;
  }

  public OptimizerKind optimizer() {
    return optimizer;
  }

  public double lr() {
    return lr;
  }

  public int batchSize() {
    return batchSize;
  }

  public int epochs() {
    return epochs;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public int earlyStoppingPatience() {
    return earlyStoppingPatience;
  }

  public TrainConfig stepEngine(StepEngineKind v) {
    if (v == null) {
      throw new IllegalArgumentException("step engine must be job, stage or auto, got null");
    }
    this.stepEngine = v;
    return this;
  }

  public StepEngineKind stepEngine() {
    return stepEngine;
  }

  /** Where executors compute: the CPU kernels, the CUDA backend, or the GPU when assigned one. */
  public TrainConfig device(Device v) {
    if (v == null) {
      throw new IllegalArgumentException("device must be auto, cpu or gpu, got null");
    }
    this.device = v;
    return this;
  }

  public Device device() {
    return device;
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }
}
