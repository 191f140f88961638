package io.sparkmlp.train;

import static io.sparkmlp.train.Setting.anyLong;
import static io.sparkmlp.train.Setting.countOrAll;
import static io.sparkmlp.train.Setting.flag;
import static io.sparkmlp.train.Setting.oneOf;
import static io.sparkmlp.train.Setting.path;
import static io.sparkmlp.train.Setting.real;
import static io.sparkmlp.train.Setting.sizes;
import static io.sparkmlp.train.Setting.whole;
import static io.sparkmlp.train.SettingType.Real.above;
import static io.sparkmlp.train.SettingType.Real.atLeast;
import static io.sparkmlp.train.SettingType.Real.within;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.train.Setting.Scope;
import io.sparkmlp.train.TrainConfig.OptimizerKind;
import io.sparkmlp.train.TrainConfig.StepEngineKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The training settings, each defined once: name, kind of value with its range or choices,
 * default and one-line description (see {@link Setting}). {@code train}'s options and job-file
 * keys, the Spark ML estimators' Params, {@link TrainConfig} and the {@code LoadOptions} of a
 * run all derive from this table, in this order.
 *
 * <p>Adding a setting takes one entry here plus the code that uses it, which reads it with
 * {@code config.get(Settings.X)}.
 */
public final class Settings {
  private static final List<Setting<?>> TABLE = new ArrayList<>();

  // Data: how the rows are stacked (LoadOptions).
  public static final Setting<Integer> PARTITIONS = add(whole("partitions", 1, 2,
      "partitions the data is stacked into (one task each per step)")
      .withParam("numPartitions").withScope(Scope.LOADER));
  public static final Setting<InputLayout> INPUT_LAYOUT = add(oneOf("input-layout",
      InputLayout.AUTO, "store features dense or sparse (CSR, memory ~ non-zeros; the first "
          + "layer runs sparse x dense); auto: sparse below "
          + Math.round(100 * InputLayout.SPARSE_BELOW) + "% density")
      .withScope(Scope.LOADER));
  public static final Setting<Double> VALIDATION_FRACTION = add(real("validation-fraction",
      within(0, true, 1, false), 0.0,
      "fraction of the training rows held out for validation (seeded)")
      .withScope(Scope.LOADER));

  // The network and its initialisation.
  public static final Setting<int[]> HIDDEN = add(sizes("hidden", 1, new int[] {128},
      "hidden layer sizes, e.g. 256,128 (empty: a linear model)")
      .withParam("hiddenLayers").withLabel("hidden sizes"));
  public static final Setting<Activation> ACTIVATION = add(oneOf("activation", Activation.RELU,
      "hidden activation"));
  public static final Setting<WeightInit> WEIGHT_INIT = add(oneOf("init", WeightInit.PYTORCH,
      "weight initialisation")
      .withParam("weightInit"));
  public static final Setting<BiasInit> BIAS_INIT = add(oneOf("bias-init", BiasInit.PYTORCH,
      "bias initialisation"));
  public static final Setting<String> INIT_WEIGHTS = add(path("init-weights",
      "start from these weights (safetensors state_dict, e.g. from PyTorch)")
      .withScope(Scope.CALLER));

  // The optimizer.
  public static final Setting<OptimizerKind> OPTIMIZER = add(oneOf("optimizer",
      OptimizerKind.ADAM, "optimizer"));
  public static final Setting<Double> LR = add(real("lr", above(0), 1e-3, "learning rate")
      .withLabel("learning rate"));
  public static final Setting<Double> MOMENTUM = add(real("momentum", atLeast(0), 0.0,
      "SGD momentum"));
  public static final Setting<Double> DAMPENING = add(real("dampening", atLeast(0), 0.0,
      "SGD dampening"));
  public static final Setting<Boolean> NESTEROV = add(flag("nesterov", false,
      "SGD Nesterov momentum"));
  public static final Setting<Double> WEIGHT_DECAY = add(real("weight-decay", atLeast(0), 0.0,
      "weight decay (L2 in the gradient for sgd/adam, decoupled for adamw)"));
  public static final Setting<Double> BETA1 = add(real("beta1", within(0, true, 1, false), 0.9,
      "Adam beta1"));
  public static final Setting<Double> BETA2 = add(real("beta2", within(0, true, 1, false), 0.999,
      "Adam beta2"));
  public static final Setting<Double> EPS = add(real("eps", above(0), 1e-8, "Adam epsilon"));
  public static final Setting<Double> GRAD_CLIP_NORM = add(real("grad-clip-norm", atLeast(0),
      0.0, "clip the mean gradient to this global L2 norm before each step, as PyTorch's "
          + "clip_grad_norm_ (0: off)"));

  // The learning-rate schedule.
  public static final Setting<LrSchedule.Kind> LR_SCHEDULE = add(oneOf("lr-schedule",
      LrSchedule.Kind.CONSTANT, "learning-rate schedule after warm-up"));
  public static final Setting<Integer> WARMUP_STEPS = add(whole("warmup-steps", 0, 0,
      "linear warm-up steps"));
  public static final Setting<Integer> LR_STEP_EPOCHS = add(whole("lr-step-epochs", 1, 10,
      "step schedule: epochs between decays"));
  public static final Setting<Double> LR_GAMMA = add(real("lr-gamma", within(0, false, 1, true),
      0.1, "step schedule: decay factor"));

  // Batching, precision, stopping and where the work runs.
  public static final Setting<Integer> BATCH_SIZE = add(countOrAll("batch-size", 1, "full", 128,
      "rows per optimizer step (global, over all partitions), or full"));
  public static final Setting<Integer> EPOCHS = add(whole("epochs", 1, 10,
      "passes over the data")
      .withParam("maxIter"));
  public static final Setting<Boolean> SHUFFLE = add(flag("shuffle", true,
      "reshuffle the rows of the batches every epoch (seeded)"));
  public static final Setting<Boolean> STANDARDIZE = add(flag("standardize", false,
      "scale features to mean 0, std 1 (training statistics, stored in the model)")
      .withScope(Scope.LOADER));
  public static final Setting<Dtype> DTYPE = add(oneOf("dtype", Dtype.FLOAT32,
      "compute and model dtype")
      .withScope(Scope.BOTH));
  public static final Setting<Long> SEED = add(anyLong("seed", 42,
      "seed of initialisation, shuffling and the validation split")
      .withScope(Scope.BOTH));
  public static final Setting<Integer> EARLY_STOPPING_PATIENCE = add(whole(
      "early-stopping-patience", 0, 0,
      "stop after N epochs without a lower validation loss, keep the best (0: off)"));
  public static final Setting<StepEngineKind> STEP_ENGINE = add(oneOf("step-engine",
      StepEngineKind.AUTO, "one Spark job per step, one long-lived stage over RPC (all "
          + "partitions' tasks at once), or stage when it fits")
      .withSameResult());
  public static final Setting<Device> DEVICE = add(oneOf("device", Device.AUTO,
      "where executors compute: the GPU Spark assigned a task (needs JCuda and --gpu), the CPU, "
          + "or auto (the GPU when assigned and usable, else the CPU)"));

  /** Every setting, in the order of {@code train --help}: the order of the entries above. */
  public static final List<Setting<?>> ALL = List.copyOf(TABLE);

  /** The settings {@link TrainConfig} holds, in table order. */
  public static final List<Setting<?>> TRAINER =
      ALL.stream().filter(s -> s.scope().trainer()).toList();

  private Settings() {}

  private static <T> Setting<T> add(Setting<T> s) {
    TABLE.add(s);
    return s;
  }

  /** How the training data are loaded and stacked, from the same values the trainer gets. */
  public static LoadOptions loadOptions(SettingValues v) {
    return new LoadOptions(v.get(DTYPE), v.get(PARTITIONS), v.get(VALIDATION_FRACTION),
        v.get(SEED), v.get(STANDARDIZE), v.get(INPUT_LAYOUT));
  }
}
