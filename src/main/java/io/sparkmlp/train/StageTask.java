package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.train.reduce.ReduceNode;
import io.sparkmlp.train.reduce.ReduceTransport;
import io.sparkmlp.train.reduce.RunKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The long-lived task of the {@link StageStepEngine} for one partition (or several, when the
 * stage has fewer task slots than partitions): joins the driver's {@link StageEndpoint}, sets up
 * (or shares, with the other tasks of its executor) its executor's {@link ReduceNode}, then,
 * step after step, takes the node's weights, computes each partition's gradient with its cached
 * {@link PartitionStepper} (the job engine's code) and adds it into the node's sum; it returns
 * when the tree finishes. Every wait is bounded by
 * {@code timeoutMs}, so a vanished driver fails the task instead of hanging it.
 */
final class StageTask implements VoidFunction<Iterator<Block>> {
  private static final long serialVersionUID = 1L;

  private final RpcAddress driver;
  private final String endpointName;
  private final int generation;
  private final long timeoutMs;
  private final UUID run;
  private final StepSpec spec;

  StageTask(RpcAddress driver, String endpointName, int generation, long timeoutMs, UUID run,
      StepSpec spec) {
    this.driver = driver;
    this.endpointName = endpointName;
    this.generation = generation;
    this.timeoutMs = timeoutMs;
    this.run = run;
    this.spec = spec;
  }

  @Override
  public void call(Iterator<Block> blocks) throws InterruptedException {
    List<Block> held = new ArrayList<>();
    blocks.forEachRemaining(held::add);
    if (held.isEmpty()) {
      throw new IllegalStateException("stage task " + TaskContext.getPartitionId() + " has no block");
    }
    int[] partitions = new int[held.size()];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = held.get(i).partition();
    }
    TaskContext task = TaskContext.get();
    SparkEnv env = SparkEnv.get();
    RpcEndpointRef ref = env.rpcEnv().setupEndpointRef(driver, endpointName);
    RpcTimeout timeout = new RpcTimeout(FiniteDuration.apply(timeoutMs, TimeUnit.MILLISECONDS),
        StageStepEngine.TIMEOUT_CONF);
    ClassTag<Object[]> tag = ClassTag$.MODULE$.apply(Object[].class);
    ReduceTransport transport = ReduceTransport.get();
    Object[] reply = ref.askSync(new StageJoin(partitions, task.attemptNumber(),
        task.stageAttemptNumber(), generation, env.executorId(), transport.host(),
        transport.port()).toWire(), timeout, tag);
    if (NodePlan.isFinish(reply)) {
      return;
    }
    NodePlan plan = NodePlan.fromWire(reply);
    RunKey key = new RunKey(run, generation);
    ReduceNode node = transport.node(key);
    if (node == null) {
      node = transport.register(plan.newNode(key, transport, spec.dtype(),
          spec.mlp().numParameters()));
    }
    if (NodePlan.isFinish(ref.askSync(StageJoin.ready(partitions[0], generation), timeout, tag))) {
      return;
    }
    PartitionStepper[] steppers = new PartitionStepper[partitions.length];
    StageFault[] faults = new StageFault[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      steppers[i] = PartitionStepper.forPartition(spec, partitions[i]);
      faults[i] = StageFault.forTask(spec.runId(), partitions[i], task.attemptNumber());
    }
    long done = -1;
    while (true) {
      ReduceNode.Work work = node.awaitWeights(done, timeoutMs, task::isInterrupted);
      if (work == null) {
        return;
      }
      for (int i = 0; i < partitions.length; i++) {
        if (faults[i].beforeCompute(work.seq)) {
          throw StageFault.injected(partitions[i], work.seq);
        }
        PartitionGradient g = steppers[i].step(held.get(i), work.weights, work.epoch, work.step,
            generation);
        node.contribute(work.seq, g.gradient, g.lossSum, g.rows, g.weightSum, g.computeNanos,
            plan.localRank() + i);
        if (faults[i].afterDelivery(work.seq)) {
          throw StageFault.injected(partitions[i], work.seq);
        }
      }
      done = work.seq;
    }
  }
}
