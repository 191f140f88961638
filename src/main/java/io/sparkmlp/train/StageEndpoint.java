package io.sparkmlp.train;

import java.util.Arrays;
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
 * The driver's control plane of the {@link StageStepEngine} on Spark's RPC environment: each
 * launch of the stage, every task joins ({@link StageJoin}) and is told its executor's place in
 * the reduction tree ({@link NodePlan}), then reports its node ready. Steps themselves never
 * pass through here: weights and sums travel the tree ({@code train.reduce}).
 *
 * <p>A join of a launch whose tree is already built — a retried task attempt, or a task of a
 * stage attempt that Spark resubmitted after losing an executor — means a node of the tree is
 * gone: it raises {@link #takeRelaunch}, and the engine replaces the whole launch, recomputing
 * the current step from the same weights. So no step is lost or counted twice.
 *
 * <p>Replies never block the RPC thread: joins are parked until the engine assigns the plans.
 */
final class StageEndpoint implements ThreadSafeRpcEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(StageEndpoint.class);
  private static final long POLL_MS = 100;

  private final RpcEnv rpcEnv;
  /** The join that covered each partition, by partition. */
  private final StageJoin[] joins;
  /** The parked reply of each task, by the task's first partition. */
  private final RpcCallContext[] parked;
  /** Whether each task reported ready, by its first partition. */
  private final boolean[] ready;
  private int joined;
  private int tasks;
  private int readyCount;
  private boolean assigned;
  private int generation = -1;
  private boolean open;
  private boolean relaunch;

  StageEndpoint(RpcEnv rpcEnv, int partitions) {
    this.rpcEnv = rpcEnv;
    this.joins = new StageJoin[partitions];
    this.parked = new RpcCallContext[partitions];
    this.ready = new boolean[partitions];
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
        return StageJoin.isWire(message) || StageJoin.isReady(message);
      }

      @Override
      public BoxedUnit apply(Object message) {
        Object[] w = (Object[]) message;
        if (StageJoin.isWire(w)) {
          join(StageJoin.fromWire(w), context);
        } else {
          ready((Integer) w[1], (Integer) w[2], context);
        }
        return BoxedUnit.UNIT;
      }
    };
  }

  private synchronized void join(StageJoin j, RpcCallContext context) {
    boolean again = false;
    for (int p : j.partitions) {
      if (p < 0 || p >= joins.length) {
        context.sendFailure(new IllegalArgumentException("partition " + p
            + " is not one of the stage's " + joins.length + " partitions"));
        return;
      }
      again |= joins[p] != null;
    }
    if (!open || j.generation != generation) {
      context.reply(NodePlan.FINISH);
      return;
    }
    if (j.stageAttempt > 0 || assigned || again) {
      LOG.info("partitions {} joined the training stage again (task attempt {}, stage attempt {}): "
          + "a node of the reduction tree is gone; relaunching", Arrays.toString(j.partitions),
          j.attempt, j.stageAttempt);
      relaunch = true;
      context.reply(NodePlan.FINISH);
      notifyAll();
      return;
    }
    for (int p : j.partitions) {
      joins[p] = j;
    }
    parked[j.firstPartition()] = context;
    joined += j.partitions.length;
    tasks++;
    notifyAll();
  }

  private synchronized void ready(int task, int g, RpcCallContext context) {
    if (!open || g != generation || task < 0 || task >= ready.length) {
      context.reply(NodePlan.FINISH);
      return;
    }
    if (!ready[task]) {
      ready[task] = true;
      readyCount++;
      notifyAll();
    }
    context.reply(NodePlan.READY);
  }

  /** Accepts the tasks of launch {@code g} from now on; older launches are told to finish. */
  synchronized void open(int g) {
    generation = g;
    open = true;
    relaunch = false;
    assigned = false;
    joined = 0;
    tasks = 0;
    readyCount = 0;
    Arrays.fill(joins, null);
    Arrays.fill(parked, null);
    Arrays.fill(ready, false);
  }

  /**
   * Waits until every partition joined, {@code deadlineNanos} passes or {@code stop} says to
   * give up; returns the join that covered each partition, by partition, or null.
   */
  synchronized StageJoin[] awaitJoins(long deadlineNanos, BooleanSupplier stop)
      throws InterruptedException {
    while (joined < joins.length) {
      if (!waitOnce(deadlineNanos, stop)) {
        return null;
      }
    }
    return joins.clone();
  }

  /** Answers every parked join with its task's plan, indexed by the task's first partition. */
  synchronized void assign(NodePlan[] plans) {
    assigned = true;
    for (int p = 0; p < parked.length; p++) {
      if (parked[p] != null) {
        parked[p].reply(plans[p].toWire());
        parked[p] = null;
      }
    }
  }

  /** Waits until every task's node is set up; false on deadline or stop. */
  synchronized boolean awaitReady(long deadlineNanos, BooleanSupplier stop)
      throws InterruptedException {
    while (readyCount < tasks) {
      if (!waitOnce(deadlineNanos, stop)) {
        return false;
      }
    }
    return true;
  }

  private boolean waitOnce(long deadlineNanos, BooleanSupplier stop) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0 || relaunch || stop.getAsBoolean()) {
      return false;
    }
    wait(Math.max(1, Math.min(POLL_MS, left / 1_000_000)));
    return true;
  }

  /** Tells every parked and every later-joining task of the current launch to return. */
  synchronized void finish() {
    open = false;
    for (int p = 0; p < parked.length; p++) {
      if (parked[p] != null) {
        parked[p].reply(NodePlan.FINISH);
        parked[p] = null;
      }
    }
  }

  /** How many tasks joined the current launch. */
  synchronized int tasks() {
    return tasks;
  }

  /** Whether a relaunch is due (see the class comment); does not clear it. */
  synchronized boolean relaunchPending() {
    return relaunch;
  }

  /** Whether a relaunch is due, clearing the flag. */
  synchronized boolean takeRelaunch() {
    boolean r = relaunch;
    relaunch = false;
    return r;
  }

  /**
   * The partitions that have not joined, or (once all have) whose task has not reported ready:
   * "[1, 3]".
   */
  synchronized String missing() {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (int p = 0; p < joins.length; p++) {
      if (joined < joins.length ? joins[p] == null : !ready[joins[p].firstPartition()]) {
        j.add(Integer.toString(p));
      }
    }
    return j.toString();
  }
}
