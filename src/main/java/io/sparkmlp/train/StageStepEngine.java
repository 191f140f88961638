package io.sparkmlp.train;

import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.MLP;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The low-latency step engine: one Spark job whose tasks (one per partition, all running at
 * once) live for many steps and trade weights and gradients with the driver over Spark's RPC
 * environment, instead of one job per step. A step costs two RPC messages per partition
 * (well under a millisecond in local mode, where objects pass by reference) instead of a job's
 * scheduling, closure cleaning and result handling (10–20 ms).
 *
 * <p>Per step: the driver publishes the weights as the run's kernel ships them
 * ({@link Kernel#shipWeights}: float32 rounded into a reused buffer, or the float64 parameters
 * themselves, exactly what {@link JobStepEngine} broadcasts) with (epoch,
 * step) on its {@link StageEndpoint}; each {@link StageTask} computes its partition's gradient
 * with {@link PartitionStepper} and sends it; the driver waits for all partitions and adds
 * them in partition order with {@link StepTotals#sum} (the job engine's code). Same inputs,
 * same code, same order: the result is bit-identical to the job engine's. The "broadcast"
 * time it reports is the weights' conversion and publication.
 *
 * <p>Failures: the driver keeps weights and optimizer state, so a task attempt that dies is
 * simply retried by Spark and its new attempt rejoins at the current step; the endpoint takes
 * exactly one gradient per partition per step. A step whose gradients do not all arrive within
 * the timeout ({@value #TIMEOUT_CONF}, default {@value #DEFAULT_TIMEOUT}) fails the run with a
 * message naming the missing partitions, as does a failed stage job, at once.
 *
 * <p>Validation jobs between epochs need task slots, so with {@code endEachEpoch} the stage
 * ends after each epoch's last step and the next step launches a fresh one (one job per epoch).
 */
final class StageStepEngine implements StepEngine {
  /** Spark conf key of the longest wait for a step's gradients, as a Spark time string. */
  static final String TIMEOUT_CONF = "spark.mlp.stageTimeout";
  static final String DEFAULT_TIMEOUT = "120s";
  private static final Logger LOG = LoggerFactory.getLogger(StageStepEngine.class);

  private final Dataset train;
  private final StepSpec spec;
  private final int stepsPerEpoch;
  private final boolean endEachEpoch;
  private final long timeoutMs;
  private final RpcEnv rpcEnv;
  private final StageEndpoint endpoint;
  private final RpcEndpointRef ref;
  /** The run's kernel on the driver: ships the weights and adds up the gradients. */
  private final Kernel kernel;
  private long seq;
  private int generation;
  private JavaFutureAction<Void> job;
  private boolean broken;

  StageStepEngine(Dataset train, MLP mlp, TrainConfig config, String runId, int batchSize,
      boolean endEachEpoch, long timeoutMs) {
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException(TIMEOUT_CONF + " must be > 0, got " + timeoutMs + " ms");
    }
    this.train = train;
    this.spec = StepSpec.of(runId, mlp, config, train.numRows(), batchSize);
    this.stepsPerEpoch = BatchPlan.stepsPerEpoch(train.numRows(), batchSize);
    this.endEachEpoch = endEachEpoch;
    this.timeoutMs = timeoutMs;
    this.kernel = Kernel.cpu(mlp, config.dtype(), PartitionStepper.CHUNK_ROWS);
    this.rpcEnv = SparkEnv.get().rpcEnv();
    this.endpoint = new StageEndpoint(rpcEnv, train.numPartitions());
    this.ref = rpcEnv.setupEndpoint("spark-mlp-stage-" + runId, endpoint);
  }

  @Override
  public StepTotals step(double[] params, int epoch, int step, double[] gradSum) {
    if (job == null) {
      launch();
    }
    long start = System.nanoTime();
    Object weights = kernel.shipWeights(params);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    endpoint.publish(new StageWork(seq, epoch, step, weights));
    long publishNanos = System.nanoTime() - start;
    StepTotals totals = StepTotals.sum(Arrays.asList(awaitGradients(deadline, epoch, step)),
        kernel, gradSum, publishNanos);
    seq++;
    if (endEachEpoch && step == stepsPerEpoch - 1) {
      endStage();
    }
    return totals;
  }

  private void launch() {
    endpoint.open(++generation);
    job = train.blocks().foreachPartitionAsync(new StageTask(rpcEnv.address(), ref.name(),
        generation, 2 * timeoutMs, spec));
  }

  /**
   * Replaces a stage that Spark resubmitted by a fresh job: the old tasks are told to finish,
   * the old job is cancelled (dropping its queued attempts) and a new one starts; its tasks
   * rejoin at the current step, whose gradients received so far are kept.
   */
  private void relaunch() {
    LOG.info("a lost executor made Spark resubmit the training stage at global step {}; "
        + "starting a fresh stage", seq + 1);
    endpoint.finish();
    job.cancel(true);
    try {
      job.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      LOG.debug("the replaced stage ended with {}", e.toString());
    } catch (TimeoutException e) {
      broken = true;
      throw new IllegalStateException("the replaced training stage did not end within "
          + timeoutMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      broken = true;
      throw new IllegalStateException("interrupted while replacing the training stage", e);
    }
    launch();
  }

  private PartitionGradient[] awaitGradients(long deadline, int epoch, int step) {
    PartitionGradient[] parts;
    while (true) {
      try {
        parts = endpoint.await(deadline, job::isDone);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        broken = true;
        throw new IllegalStateException("interrupted while waiting for step " + seq, e);
      }
      if (parts != null) {
        return parts;
      }
      if (!endpoint.takeRelaunch()) {
        break;
      }
      relaunch();
    }
    broken = true;
    String where = String.format(java.util.Locale.ROOT, "epoch %d step %d (global step %d)",
        epoch + 1, step + 1, seq + 1);
    if (job.isDone()) {
      throw new IllegalStateException("the training stage ended at " + where
          + " without the gradients of partitions " + endpoint.missing(), jobFailure());
    }
    throw new IllegalStateException("no gradient from partitions " + endpoint.missing() + " for "
        + where + " within " + timeoutMs + " ms (" + TIMEOUT_CONF + "): the stage engine needs "
        + "all " + train.numPartitions() + " tasks running at once; are task slots taken by "
        + "other jobs, or executors lost for good? --step-engine job has no such need");
  }

  private Throwable jobFailure() {
    try {
      job.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  /** Tells the tasks to return and waits (bounded) for the stage's job to complete. */
  private void endStage() {
    endpoint.finish();
    try {
      job.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      broken = true;
      throw new IllegalStateException("the training stage did not end cleanly within "
          + timeoutMs + " ms after its last step", e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      broken = true;
      throw new IllegalStateException("interrupted while ending the training stage", e);
    } finally {
      job = null;
    }
  }

  @Override
  public String name() {
    return "stage";
  }

  @Override
  public void close() {
    try {
      if (job != null && broken) {
        endpoint.finish();
        job.cancel(true);
      } else if (job != null) {
        endStage();
      }
    } finally {
      if (endpoint.duplicates() > 0) {
        LOG.info("stage engine dropped {} duplicate gradients of retried task attempts",
            endpoint.duplicates());
      }
      rpcEnv.stop(ref);
      PartitionStepper.release(spec.runId());
    }
  }
}
