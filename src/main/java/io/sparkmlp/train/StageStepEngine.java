package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.train.reduce.Link;
import io.sparkmlp.train.reduce.PartialSum;
import io.sparkmlp.train.reduce.ReduceNode;
import io.sparkmlp.train.reduce.ReduceTransport;
import io.sparkmlp.train.reduce.RunKey;
import io.sparkmlp.train.reduce.TreeTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * The low-latency step engine: one Spark job whose tasks (all running at once) live for many
 * steps, and a reduction tree over the executors that carries each step's
 * weights down and the gradient sum up.
 *
 * <p>Per launch: one task per partition, or, when there are fewer task slots than partitions,
 * one per slot holding several partitions ({@code coalesce}, locality-aware). Every task joins
 * the driver's {@link StageEndpoint} (Spark RPC) with its executor and that executor's tree
 * server; the driver groups the partitions by executor, one
 * {@link ReduceNode} per executor, arranges the nodes in a k-ary tree under itself
 * ({@link TreeTopology}, k = {@value #FAN_IN_CONF}, default {@value #DEFAULT_FAN_IN}) and tells
 * each task its node's place.
 *
 * <p>Per step: the driver encodes the weights once (little-endian, in the compute dtype) and
 * sends them to its at most k children; each node forwards them to its children and decodes
 * them once for all tasks of its executor; each task adds its partition's gradient into the
 * node's exact sum; each node sends one sum up when its tasks and children are in; the driver
 * rounds its children's exact sum once. So the driver sends and receives at most k messages (per
 * chunk of 2<sup>18</sup> parameters) whatever the number of executors, and since every sum is
 * exact ({@code ExactVectorSum}), the result has the same bits for any number of executors, any
 * placement of partitions and any tree — the same as {@link JobStepEngine}'s. The "broadcast"
 * time it reports is the weights' encoding and sending.
 *
 * <p>Failures: the driver keeps weights and optimizer state. A task that dies is retried by
 * Spark; its new attempt joins again, which tells the driver that the tree lost a node: the
 * driver cancels the launch and starts a new one that recomputes the current step from the same
 * weights (likewise when Spark resubmits the stage after losing an executor). So no step is lost
 * or counted twice. A step whose sum does not arrive within the timeout ({@value #TIMEOUT_CONF},
 * default {@value #DEFAULT_TIMEOUT}) fails the run naming the missing partitions.
 *
 * <p>Validation jobs between epochs need task slots, so with {@code endEachEpoch} the stage
 * ends after each epoch's last step and the next step launches a fresh one (one job per epoch).
 */
final class StageStepEngine implements StepEngine {
  /** Spark conf key of the longest wait for a step's gradients, as a Spark time string. */
  static final String TIMEOUT_CONF = "spark.mlp.stageTimeout";
  static final String DEFAULT_TIMEOUT = "120s";
  /** Spark conf key of the reduction tree's fan-in: children per node, the driver's included. */
  static final String FAN_IN_CONF = "spark.mlp.fanIn";
  /**
   * 4. Figure 7's cost model (measured per-parameter costs, 10–25 Gbit/s links, 16–256
   * executors) puts fan-in 4 at about half the step time of fan-in 8 for models of 0.2–1.3 M
   * parameters, and 1.1–1.5 × that of fan-in 2; 4 rather than 2 because the model leaves out
   * the per-hop jitter (GC pauses, stragglers) that a deeper tree adds to every step (8 levels
   * at 256 executors with fan-in 2, 4 with fan-in 4), and because where trees could be measured
   * (executors sharing one machine's cores) a deeper tree was slower. Up to 4 executors the tree
   * stays flat.
   */
  static final int DEFAULT_FAN_IN = 4;
  private static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";
  private static final Logger LOG = LoggerFactory.getLogger(StageStepEngine.class);

  private final Dataset train;
  private final MLP mlp;
  private final TrainConfig config;
  private final String runId;
  private final UUID run = UUID.randomUUID();
  private final int batchSize;
  private final int stepsPerEpoch;
  private final boolean endEachEpoch;
  private final long timeoutMs;
  private final int fanIn;
  private final RpcEnv rpcEnv;
  private final StageEndpoint endpoint;
  private final RpcEndpointRef ref;
  private final ReduceTransport transport;
  private long seq;
  private int generation;
  private JavaFutureAction<Void> job;
  private RunKey key;
  private ReduceNode root;
  /** The plan of each task, by its first partition, and each partition's task. */
  private NodePlan[] plans;
  private int[] taskOf;
  /** Tasks of a launch: the partitions, or the task slots if fewer (then tasks hold several). */
  private final int tasks;
  private boolean broken;

  StageStepEngine(Dataset train, MLP mlp, TrainConfig config, String runId, int batchSize,
      boolean endEachEpoch, long timeoutMs, int fanIn, int tasks) {
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException(TIMEOUT_CONF + " must be > 0, got " + timeoutMs + " ms");
    }
    this.train = train;
    this.mlp = mlp;
    this.config = config;
    this.runId = runId;
    this.batchSize = batchSize;
    this.stepsPerEpoch = BatchPlan.stepsPerEpoch(train.numRows(), batchSize);
    this.endEachEpoch = endEachEpoch;
    this.timeoutMs = timeoutMs;
    this.fanIn = fanIn;
    if (tasks < 1 || tasks > train.numPartitions()) {
      throw new IllegalArgumentException("a stage of " + train.numPartitions() + " partitions "
          + "cannot run in " + tasks + " tasks");
    }
    this.tasks = tasks;
    this.rpcEnv = SparkEnv.get().rpcEnv();
    this.transport = ReduceTransport.get();
    this.endpoint = new StageEndpoint(rpcEnv, train.numPartitions());
    this.ref = rpcEnv.setupEndpoint("spark-mlp-stage-" + runId, endpoint);
  }

  @Override
  public StepTotals step(double[] params, int epoch, int step) {
    while (true) {
      if (job == null) {
        launch();
      }
      long start = System.nanoTime();
      long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      try {
        if (root == null && !buildTree(deadline)) {
          if (endpoint.takeRelaunch()) {
            relaunch();
            continue;
          }
          throw missing("no gradient from partitions " + endpoint.missing(), epoch, step);
        }
        long publishStart = System.nanoTime();
        root.publish(seq, epoch, step, params);
        long publishNanos = System.nanoTime() - publishStart;
        PartialSum sum = root.awaitSum(seq, deadline,
            () -> endpoint.relaunchPending() || job.isDone());
        if (sum == null) {
          if (endpoint.takeRelaunch()) {
            relaunch();
            continue;
          }
          throw missing("no gradient from partitions " + partitionsUnder(root.missingChildren()),
              epoch, step);
        }
        long[] traffic = root.takeTraffic();
        StepTotals totals = new StepTotals(sum, publishNanos, 0, traffic[0], traffic[1]);
        seq++;
        if (endEachEpoch && step == stepsPerEpoch - 1) {
          endStage();
        }
        return totals;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        broken = true;
        throw new IllegalStateException("interrupted while waiting for step " + (seq + 1), e);
      }
    }
  }

  private void launch() {
    key = new RunKey(run, ++generation);
    endpoint.open(generation);
    root = null;
    plans = null;
    // a relaunch cancels the job: interrupt its tasks, which may be waiting in the tree
    SparkContext sc = train.blocks().context();
    String interrupt = sc.getLocalProperty(INTERRUPT_ON_CANCEL);
    sc.setLocalProperty(INTERRUPT_ON_CANCEL, "true");
    try {
      JavaRDD<Block> blocks = taskRdd(sc);
      job = blocks.foreachPartitionAsync(new StageTask(rpcEnv.address(), ref.name(),
          generation, 2 * timeoutMs, run, StepSpec.of(runId, mlp, config, train.numRows(),
          batchSize)));
    } finally {
      sc.setLocalProperty(INTERRUPT_ON_CANCEL, interrupt);
    }
  }

  /**
   * The RDD whose partitions are the stage's tasks: the blocks themselves, or the blocks
   * coalesced into {@link #tasks} groups (locality-aware; shuffled with the test hook
   * {@link ShuffledPlacement}).
   */
  private JavaRDD<Block> taskRdd(SparkContext sc) {
    long shuffleSeed = sc.conf().getLong(ShuffledPlacement.CONF, -1);
    if (shuffleSeed >= 0) {
      return new JavaRDD<>(train.blocks().rdd().coalesce(tasks, false,
          Option.apply(new ShuffledPlacement(shuffleSeed + generation)), null),
          ClassTag$.MODULE$.apply(Block.class));
    }
    return tasks == train.numPartitions() ? train.blocks() : train.blocks().coalesce(tasks, false);
  }

  /**
   * Waits for every task to join, arranges their executors in the tree, creates the root (and,
   * in local mode, the driver JVM's own executor node), answers the joins and waits until
   * every node is set up. False if that did not happen by {@code deadline} or a relaunch is due.
   */
  private boolean buildTree(long deadline) throws InterruptedException {
    StageJoin[] joins = endpoint.awaitJoins(deadline, job::isDone);
    if (joins == null) {
      return false;
    }
    Map<String, List<StageJoin>> byExecutor = new TreeMap<>();
    for (int p = 0; p < joins.length; p++) {
      StageJoin j = joins[p];
      if (j.firstPartition() == p) { // one entry per task
        byExecutor.computeIfAbsent(j.executorId, e -> new ArrayList<>()).add(j);
      }
    }
    List<List<StageJoin>> nodes = new ArrayList<>(byExecutor.values());
    TreeTopology topology = new TreeTopology(nodes.size(), fanIn);
    String self = SparkEnv.get().executorId();
    List<Link> rootChildren = new ArrayList<>();
    ReduceNode[] rootHolder = new ReduceNode[1];
    ReduceNode inJvm = null;
    NodePlan[] assigned = new NodePlan[joins.length];
    for (int i = 0; i < nodes.size(); i++) {
      List<StageJoin> tasks = nodes.get(i);
      StageJoin first = tasks.get(0);
      int parent = topology.parent(i);
      int firstChild = topology.firstChild(i);
      int numChildren = topology.numChildren(i);
      String[] childHosts = new String[numChildren];
      int[] childPorts = new int[numChildren];
      for (int c = 0; c < numChildren; c++) {
        StageJoin child = nodes.get(firstChild + c).get(0);
        childHosts[c] = child.host;
        childPorts[c] = child.port;
      }
      String parentHost = parent == TreeTopology.ROOT ? transport.host()
          : nodes.get(parent).get(0).host;
      int parentPort = parent == TreeTopology.ROOT ? transport.port()
          : nodes.get(parent).get(0).port;
      int partitions = 0;
      for (StageJoin t : tasks) {
        partitions += t.partitions.length;
      }
      NodePlan plan = new NodePlan(i, parentHost, parentPort, childHosts, childPorts, firstChild,
          partitions, 0);
      for (int r = 0; r < tasks.size(); r++) {
        assigned[tasks.get(r).firstPartition()] = plan.withRank(r);
      }
      if (first.executorId.equals(self)) {
        // local mode: the driver JVM runs the tasks; link its node and the root in memory
        if (nodes.size() != 1) {
          throw new IllegalStateException("the driver JVM runs tasks next to other executors");
        }
        inJvm = new ReduceNode(key, i, config.dtype(), mlp.numParameters(),
            Link.local(() -> rootHolder[0]), List.of(), firstChild, partitions);
      }
    }
    int top = topology.numChildren(TreeTopology.ROOT);
    for (int c = 0; c < top; c++) {
      StageJoin child = nodes.get(c).get(0);
      ReduceNode local = inJvm;
      rootChildren.add(local != null ? Link.local(() -> local)
          : transport.link(child.host, child.port, key));
    }
    root = new ReduceNode(key, TreeTopology.ROOT, config.dtype(), mlp.numParameters(), null,
        rootChildren, 0, 0);
    rootHolder[0] = root;
    if (inJvm != null) {
      transport.register(inJvm);
    } else {
      transport.register(root);
    }
    plans = assigned;
    taskOf = new int[joins.length];
    for (int p = 0; p < joins.length; p++) {
      taskOf[p] = joins[p].firstPartition();
    }
    endpoint.assign(assigned);
    LOG.info("reduction tree of launch {}: {} ({} partitions in {} tasks){}", generation,
        topology, joins.length, endpoint.tasks(), inJvm != null ? ", in this JVM" : "");
    return endpoint.awaitReady(deadline, job::isDone);
  }

  /** The partitions held by the subtrees of the root's children {@code children} ("[0, 2]"). */
  private String partitionsUnder(String children) {
    if (plans == null) {
      return endpoint.missing();
    }
    List<Integer> missingNodes = new ArrayList<>();
    for (String s : children.replaceAll("[\\[\\] ]", "").split(",")) {
      if (!s.isEmpty()) {
        missingNodes.add(Integer.parseInt(s));
      }
    }
    int nodes = 0;
    for (NodePlan p : plans) {
      if (p != null) {
        nodes = Math.max(nodes, p.index() + 1);
      }
    }
    TreeTopology t = new TreeTopology(nodes, fanIn);
    List<Integer> parts = new ArrayList<>();
    for (int p = 0; p < plans.length; p++) {
      int n = plans[taskOf[p]].index();
      while (t.parent(n) != TreeTopology.ROOT) {
        n = t.parent(n);
      }
      if (missingNodes.contains(n)) {
        parts.add(p);
      }
    }
    return parts.toString();
  }

  private IllegalStateException missing(String what, int epoch, int step) {
    broken = true;
    String where = String.format(Locale.ROOT, "epoch %d step %d (global step %d)",
        epoch + 1, step + 1, seq + 1);
    if (job.isDone()) {
      return new IllegalStateException("the training stage ended at " + where + " without "
          + what.replaceFirst("^no gradient from", "the gradients of"), jobFailure());
    }
    return new IllegalStateException(what + " for " + where + " within " + timeoutMs + " ms ("
        + TIMEOUT_CONF + "): the stage engine needs all " + tasks + " tasks "
        + "running at once; are task slots taken by other jobs, or executors lost for good? "
        + "--step-engine job has no such need");
  }

  /**
   * Replaces a launch that lost a node: the tree is told to finish, the job is cancelled
   * (interrupting its tasks) and a new launch starts, which recomputes the current step.
   */
  private void relaunch() {
    LOG.info("relaunching the training stage at global step {}", seq + 1);
    stopTree();
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

  /** Tells the current launch's tasks (those waiting to join and those in the tree) to return. */
  private void stopTree() {
    endpoint.finish();
    if (root != null) {
      root.finish();
      transport.unregister(key);
    }
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
    stopTree();
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
      root = null;
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
        stopTree();
        job.cancel(true);
      } else if (job != null) {
        endStage();
      }
    } finally {
      rpcEnv.stop(ref);
      PartitionStepper.release(runId);
    }
  }
}
