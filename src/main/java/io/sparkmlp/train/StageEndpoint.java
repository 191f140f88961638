package io.sparkmlp.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.PartialFunction;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The driver side of the {@link StageStepEngine}: an endpoint on Spark's RPC environment that
 * hands out each step's weights and collects exactly one gradient per partition per step.
 *
 * <p>Bookkeeping: the current step has a sequence number {@code seq} (global step of the run),
 * and slot {@code gradients[p]} holds partition p's gradient of that step once it arrived. A
 * {@link StageRequest} is accepted only if it carries the current generation (stage launch)
 * and {@code seq}, and the slot is still empty; anything else (a zombie attempt, a retried
 * attempt re-sending, a stale step) is counted as a duplicate and dropped. So no gradient is
 * lost or counted twice, whichever attempt of a partition delivers it.
 *
 * <p>Replies never block the RPC thread: a task asking for work gets the current step at once
 * if its partition still owes that step's gradient, otherwise its call context is parked and
 * answered by the next {@link #publish} (or by {@link #finish}). A restarted attempt therefore
 * rejoins at the current step by simply asking.
 *
 * <p>A task of a resubmitted stage attempt (Spark resubmits the whole stage when a lost
 * executor also took shuffle files the cached blocks' lineage needs) raises
 * {@link #takeRelaunch}: such a stage attempt re-runs every unfinished partition, including
 * those whose old attempts still hold the task slots, so it could never run all at once; the
 * engine then starts a fresh job instead.
 */
final class StageEndpoint implements ThreadSafeRpcEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(StageEndpoint.class);
  private static final long POLL_MS = 100;

  private final RpcEnv rpcEnv;
  private final PartitionGradient[] gradients;
  private final List<RpcCallContext> parked = new ArrayList<>();
  private int received;
  private StageWork work;
  private int generation = -1;
  private boolean open;
  private boolean relaunch;
  private long duplicates;

  StageEndpoint(RpcEnv rpcEnv, int partitions) {
    this.rpcEnv = rpcEnv;
    this.gradients = new PartitionGradient[partitions];
  }

  @Override
  public RpcEnv rpcEnv() {
    return rpcEnv;
  }

  @Override
  public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
    return new AbstractPartialFunction<Object, BoxedUnit>() {
      @Override
      public boolean isDefinedAt(Object message) {
        return StageRequest.isWire(message);
      }

      @Override
      public BoxedUnit apply(Object message) {
        handle(StageRequest.fromWire((Object[]) message), context);
        return BoxedUnit.UNIT;
      }
    };
  }

  private synchronized void handle(StageRequest r, RpcCallContext context) {
    if (r.partition < 0 || r.partition >= gradients.length) {
      context.sendFailure(new IllegalArgumentException("partition " + r.partition
          + " is not one of the stage's " + gradients.length + " partitions"));
      return;
    }
    if (!open || r.generation != generation) {
      context.reply(StageWork.FINISH.toWire());
      return;
    }
    if (r.stageAttempt > 0 && r.gradient == null) {
      relaunch = true;
      notifyAll();
    }
    if (r.gradient != null) {
      accept(r);
    }
    if (work != null && gradients[r.partition] == null) {
      context.reply(work.toWire());
    } else {
      parked.add(context);
    }
  }

  private void accept(StageRequest r) {
    if (work != null && r.seq == work.seq && gradients[r.partition] == null) {
      gradients[r.partition] = r.gradient;
      if (++received == gradients.length) {
        notifyAll();
      }
    } else {
      duplicates++;
      LOG.info("ignored a duplicate gradient: partition {} attempt {} step {} (current step {})",
          r.partition, r.attempt, r.seq, work == null ? -1 : work.seq);
    }
  }

  /** Accepts requests of stage launch {@code g} from now on; older launches are told to finish. */
  synchronized void open(int g) {
    generation = g;
    open = true;
    relaunch = false;
  }

  /** Whether a resubmitted stage attempt joined since the last call (see the class comment). */
  synchronized boolean takeRelaunch() {
    boolean r = relaunch;
    relaunch = false;
    return r;
  }

  /** Makes {@code next} the current step: clears the slots and answers every parked task. */
  synchronized void publish(StageWork next) {
    work = next;
    Arrays.fill(gradients, null);
    received = 0;
    replyParked(next);
  }

  /** Tells every waiting and every later-asking task of the current launch to return. */
  synchronized void finish() {
    open = false;
    replyParked(StageWork.FINISH);
  }

  private void replyParked(StageWork reply) {
    for (RpcCallContext c : parked) {
      c.reply(reply.toWire());
    }
    parked.clear();
  }

  /**
   * Waits until every partition delivered the current step, {@code deadlineNanos}
   * ({@link System#nanoTime}) passes, {@code stop} says the stage's job ended or a relaunch is
   * due ({@link #takeRelaunch}). Returns the
   * gradients by partition index (this endpoint's own array: read it before the next
   * {@link #publish}), or null if not all arrived.
   */
  synchronized PartitionGradient[] await(long deadlineNanos, BooleanSupplier stop)
      throws InterruptedException {
    while (received < gradients.length) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0 || relaunch || stop.getAsBoolean()) {
        return null;
      }
      wait(Math.max(1, Math.min(POLL_MS, left / 1_000_000)));
    }
    return gradients;
  }

  /** The partitions whose gradient of the current step has not arrived, e.g. "[1, 3]". */
  synchronized String missing() {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (int p = 0; p < gradients.length; p++) {
      if (gradients[p] == null) {
        j.add(Integer.toString(p));
      }
    }
    return j.toString();
  }

  /** Gradients dropped as duplicates so far (zombie or retried attempts). */
  synchronized long duplicates() {
    return duplicates;
  }
}
