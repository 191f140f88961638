package io.sparkmlp.train;

import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.MLP;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link StepEngine} of a run from {@link TrainConfig#stepEngine()}: {@code job}
 * always fits; {@code stage} runs one task per free task slot
 * ({@code SparkContext.maxNumConcurrentTasks}: cores / {@code spark.task.cpus} of the executors
 * registered now; N in {@code local[N]}), each holding one or more partitions, for the whole
 * run, so it is checked up front against an empty cluster, dynamic allocation and speculation
 * (a speculative copy of a long-lived task would hold a slot for nothing); {@code auto} takes
 * {@code stage} when it fits, else {@code job}, and logs why.
 */
public final class StepEngines {
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
    String misfit = stageMisfit(jsc.sc());
    if (misfit != null && kind == TrainConfig.StepEngineKind.STAGE) {
      throw new IllegalArgumentException("--step-engine stage runs all its tasks at once for the "
          + "whole run, but " + misfit + "; use --step-engine job or auto");
    }
    if (misfit != null) {
      LOG.info("step engine auto: job, because {}", misfit);
      return new JobStepEngine(jsc, train, mlp, config, runId, batchSize, fanIn);
    }
    int partitions = train.numPartitions();
    int tasks = Math.min(partitions, slots(jsc.sc()));
    LOG.info("step engine {}stage: {}", kind == TrainConfig.StepEngineKind.AUTO ? "auto: " : "",
        tasks == partitions ? partitions + " partitions in as many of the " + slots(jsc.sc())
            + " task slots"
            : partitions + " partitions in " + tasks + " tasks (one per free task slot)");
    long timeoutMs = jsc.getConf().getTimeAsMs(StageStepEngine.TIMEOUT_CONF,
        StageStepEngine.DEFAULT_TIMEOUT);
    return new StageStepEngine(train, mlp, config, runId, batchSize, validationBetweenEpochs,
        timeoutMs, fanIn, tasks);
  }

  /** The reduction tree's fan-in ({@value StageStepEngine#FAN_IN_CONF}), validated. */
  public static int fanIn(JavaSparkContext jsc) {
    int k = jsc.getConf().getInt(StageStepEngine.FAN_IN_CONF, StageStepEngine.DEFAULT_FAN_IN);
    if (k < 2) {
      throw new IllegalArgumentException(StageStepEngine.FAN_IN_CONF + " must be >= 2, got " + k);
    }
    return k;
  }

  /**
   * Why a long-lived stage cannot run here, or null if it can: it needs a task slot now (a stage
   * with fewer slots than partitions gives each task several partitions), a fixed set of
   * executors and no speculative copies of its tasks.
   */
  static String stageMisfit(SparkContext sc) {
    if (slots(sc) < 1) {
      return "no task slot is free (no executor has registered yet?)";
    }
    if (sc.conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      return "spark.dynamicAllocation.enabled is on (executors come and go; the stage keeps its "
          + "tasks for the whole run)";
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
