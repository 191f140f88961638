package io.sparkmlp.train;

import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.MLP;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link StepEngine} of a run from {@link TrainConfig#stepEngine()}: {@code job}
 * always fits; {@code stage} needs every partition's task running at once, so it is checked up
 * front against the free task slots ({@code SparkContext.maxNumConcurrentTasks}: cores /
 * {@code spark.task.cpus} of the executors registered now; N in {@code local[N]}) and against
 * speculation (a speculative copy of a long-lived task would hold a slot for nothing);
 * {@code auto} takes {@code stage} when it fits, else {@code job}, and logs why.
 */
final class StepEngines {
  private static final Logger LOG = LoggerFactory.getLogger(StepEngines.class);

  private StepEngines() {}

  /**
   * The engine for training {@code train}; {@code validationBetweenEpochs} makes the stage
   * engine free its task slots after every epoch for the validation job.
   */
  static StepEngine open(JavaSparkContext jsc, Dataset train, MLP mlp, TrainConfig config,
      String runId, int batchSize, boolean validationBetweenEpochs) {
    TrainConfig.StepEngineKind kind = config.stepEngine();
    int fanIn = fanIn(jsc);
    if (kind == TrainConfig.StepEngineKind.JOB) {
      return new JobStepEngine(jsc, train, mlp, config, runId, batchSize, fanIn);
    }
    String misfit = stageMisfit(jsc.sc(), train.numPartitions());
    if (misfit != null && kind == TrainConfig.StepEngineKind.STAGE) {
      throw new IllegalArgumentException("--step-engine stage runs all " + train.numPartitions()
          + " partitions' tasks at once, but " + misfit + "; use --step-engine job or auto");
    }
    if (misfit != null) {
      LOG.info("step engine auto: job, because {}", misfit);
      return new JobStepEngine(jsc, train, mlp, config, runId, batchSize, fanIn);
    }
    if (kind == TrainConfig.StepEngineKind.AUTO) {
      LOG.info("step engine auto: stage ({} partitions fit in {} task slots)",
          train.numPartitions(), slots(jsc.sc()));
    }
    long timeoutMs = jsc.getConf().getTimeAsMs(StageStepEngine.TIMEOUT_CONF,
        StageStepEngine.DEFAULT_TIMEOUT);
    return new StageStepEngine(train, mlp, config, runId, batchSize, validationBetweenEpochs,
        timeoutMs, fanIn);
  }

  /** The reduction tree's fan-in ({@value StageStepEngine#FAN_IN_CONF}), validated. */
  static int fanIn(JavaSparkContext jsc) {
    int k = jsc.getConf().getInt(StageStepEngine.FAN_IN_CONF, StageStepEngine.DEFAULT_FAN_IN);
    if (k < 2) {
      throw new IllegalArgumentException(StageStepEngine.FAN_IN_CONF + " must be >= 2, got " + k);
    }
    return k;
  }

  /** Why a stage of {@code partitions} tasks cannot run here, or null if it can. */
  static String stageMisfit(SparkContext sc, int partitions) {
    int slots = slots(sc);
    if (partitions > slots) {
      return "only " + slots + " task slots are free (executor cores / spark.task.cpus); use "
          + "--partitions " + slots + " or fewer, or more executor cores";
    }
    if (sc.conf().getBoolean("spark.speculation", false)) {
      return "spark.speculation is on (it would copy the long-lived tasks)";
    }
    return null;
  }

  private static int slots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }
}
