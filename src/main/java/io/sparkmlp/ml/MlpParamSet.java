package io.sparkmlp.ml;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.train.TrainConfig;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The {@link Param} objects of one pipeline stage (Spark requires each stage to own its Params,
 * tagged with its uid), created per instance by {@link MlpParams} implementations, and their
 * defaults. Every default comes from {@link TrainConfig} (hyper-parameters) or is the CLI's
 * (2 partitions, no standardisation, no validation part), so the estimators, the CLI and the
 * trainer agree.
 */
public final class MlpParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default number of partitions (one task each per step), as the CLI's {@code --partitions}. */
  static final int DEFAULT_PARTITIONS = 2;

  final IntArrayParam hiddenLayers;
  final Param<String> activation;
  final Param<String> weightInit;
  final Param<String> biasInit;
  final Param<String> optimizer;
  final DoubleParam lr;
  final DoubleParam momentum;
  final DoubleParam dampening;
  final BooleanParam nesterov;
  final DoubleParam weightDecay;
  final DoubleParam beta1;
  final DoubleParam beta2;
  final DoubleParam eps;
  final Param<String> lrSchedule;
  final IntParam warmupSteps;
  final IntParam lrStepEpochs;
  final DoubleParam lrGamma;
  final IntParam batchSize;
  final IntParam maxIter;
  final BooleanParam shuffle;
  final LongParam seed;
  final Param<String> dtype;
  final BooleanParam standardize;
  final Param<String> inputLayout;
  final DoubleParam validationFraction;
  final IntParam earlyStoppingPatience;
  final Param<String> initWeights;
  final IntParam numPartitions;

  /** The Params of {@code owner}, whose uid must be set. */
  MlpParamSet(Params owner) {
    String uid = owner.uid();
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
        "hidden layer widths, input to output, each >= 1 (empty: a linear model)",
        allPositive());
    activation = choice(uid, "activation", "hidden activation", names(Activation.values()));
    weightInit = choice(uid, "weightInit", "weight initialisation", names(WeightInit.values()));
    biasInit = choice(uid, "biasInit", "bias initialisation", names(BiasInit.values()));
    optimizer = choice(uid, "optimizer", "optimizer",
        names(TrainConfig.OptimizerKind.values()));
    lr = new DoubleParam(uid, "lr", "learning rate (> 0)", ParamValidators.gt(0));
    momentum = new DoubleParam(uid, "momentum", "SGD momentum (>= 0)", ParamValidators.gtEq(0));
    dampening = new DoubleParam(uid, "dampening", "SGD dampening (>= 0)",
        ParamValidators.gtEq(0));
    nesterov = new BooleanParam(uid, "nesterov", "SGD Nesterov momentum");
    weightDecay = new DoubleParam(uid, "weightDecay",
        "weight decay (>= 0): L2 in the gradient for sgd/adam, decoupled for adamw",
        ParamValidators.gtEq(0));
    beta1 = new DoubleParam(uid, "beta1", "Adam beta1, in [0, 1)", unitInterval());
    beta2 = new DoubleParam(uid, "beta2", "Adam beta2, in [0, 1)", unitInterval());
    eps = new DoubleParam(uid, "eps", "Adam epsilon (> 0)", ParamValidators.gt(0));
    lrSchedule = choice(uid, "lrSchedule", "learning-rate schedule after warm-up",
        names(LrSchedule.Kind.values()));
    warmupSteps = new IntParam(uid, "warmupSteps", "linear warm-up steps (>= 0)",
        ParamValidators.gtEq(0));
    lrStepEpochs = new IntParam(uid, "lrStepEpochs",
        "step schedule: epochs between decays (>= 1)", ParamValidators.gtEq(1));
    lrGamma = new DoubleParam(uid, "lrGamma", "step schedule: decay factor, in (0, 1]",
        ParamValidators.inRange(0, 1, false, true));
    batchSize = new IntParam(uid, "batchSize",
        "rows per optimizer step over all partitions (>= 1), or 0 for the full training set",
        ParamValidators.gtEq(0));
    maxIter = new IntParam(uid, "maxIter",
        "epochs (passes over the training rows, >= 1); fewer with early stopping",
        ParamValidators.gtEq(1));
    shuffle = new BooleanParam(uid, "shuffle", "reshuffle the batches' rows every epoch (seeded)");
    seed = new LongParam(uid, "seed", "seed of initialisation, shuffling and validation split");
    dtype = choice(uid, "dtype", "compute and model dtype", names(Dtype.values()));
    standardize = new BooleanParam(uid, "standardize",
        "scale features to mean 0, std 1 with the training rows' statistics (kept in the model)");
    inputLayout = choice(uid, "inputLayout", "how features are stored and multiplied: dense, "
        + "sparse (CSR; memory ~ non-zeros, sparse vectors are never densified), or auto "
        + "(sparse below " + Math.round(100 * InputLayout.SPARSE_BELOW) + "% density; per batch "
        + "when scoring)", names(InputLayout.values()));
    validationFraction = new DoubleParam(uid, "validationFraction",
        "fraction of the rows held out (seeded) for per-epoch validation, in [0, 1)",
        unitInterval());
    earlyStoppingPatience = new IntParam(uid, "earlyStoppingPatience",
        "stop after this many epochs without a lower validation loss and keep the best epoch's "
            + "weights (0: off; needs validationFraction > 0)", ParamValidators.gtEq(0));
    initWeights = new Param<>(uid, "initWeights",
        "start from the weights of this safetensors state_dict (any Hadoop path) instead of "
            + "seeded initialisation");
    numPartitions = new IntParam(uid, "numPartitions",
        "partitions the training rows are stacked into (>= 1; one task each per step)",
        ParamValidators.gtEq(1));
  }

  /** Sets every default on {@code owner}, the stage these Params belong to. */
  void setDefaults(Params owner) {
    Map<String, String> d = new TrainConfig().describe();
    LoadOptions load = LoadOptions.defaults();
    owner.setDefault(hiddenLayers, new TrainConfig().hidden());
    owner.setDefault(activation, d.get("activation"));
    owner.setDefault(weightInit, d.get("init"));
    owner.setDefault(biasInit, d.get("bias-init"));
    owner.setDefault(optimizer, d.get("optimizer"));
    owner.setDefault(lr, Double.valueOf(d.get("lr")));
    owner.setDefault(momentum, Double.valueOf(d.get("momentum")));
    owner.setDefault(dampening, Double.valueOf(d.get("dampening")));
    owner.setDefault(nesterov, Boolean.valueOf(d.get("nesterov")));
    owner.setDefault(weightDecay, Double.valueOf(d.get("weight-decay")));
    owner.setDefault(beta1, Double.valueOf(d.get("beta1")));
    owner.setDefault(beta2, Double.valueOf(d.get("beta2")));
    owner.setDefault(eps, Double.valueOf(d.get("eps")));
    owner.setDefault(lrSchedule, d.get("lr-schedule"));
    owner.setDefault(warmupSteps, Integer.valueOf(d.get("warmup-steps")));
    owner.setDefault(lrStepEpochs, Integer.valueOf(d.get("lr-step-epochs")));
    owner.setDefault(lrGamma, Double.valueOf(d.get("lr-gamma")));
    owner.setDefault(batchSize, new TrainConfig().batchSize());
    owner.setDefault(maxIter, Integer.valueOf(d.get("epochs")));
    owner.setDefault(shuffle, Boolean.valueOf(d.get("shuffle")));
    owner.setDefault(seed, Long.valueOf(d.get("seed")));
    owner.setDefault(dtype, d.get("dtype"));
    owner.setDefault(standardize, load.standardize());
    owner.setDefault(inputLayout, load.layout().optionName());
    owner.setDefault(validationFraction, load.validationFraction());
    owner.setDefault(earlyStoppingPatience, Integer.valueOf(d.get("early-stopping-patience")));
    owner.setDefault(numPartitions, DEFAULT_PARTITIONS);
  }

  private static Param<String> choice(String uid, String name, String doc, List<String> allowed) {
    return new Param<>(uid, name, doc + ": one of " + String.join(", ", allowed),
        ParamValidators.inArray(allowed));
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
  }

  /** A validator Spark can serialize with the stage. */
  private interface Check<T> extends Function1<T, Object>, Serializable {}

  private static Check<int[]> allPositive() {
    return sizes -> Arrays.stream(sizes).allMatch(h -> h >= 1);
  }

  private static Function1<Object, Object> unitInterval() {
    return ParamValidators.inRange(0, 1, true, false);
  }
}
