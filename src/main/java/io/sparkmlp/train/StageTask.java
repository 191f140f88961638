package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import java.util.Iterator;
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
 * The long-lived task of one partition in the {@link StageStepEngine}: asks the driver's
 * {@link StageEndpoint} for work, computes the step with the partition's cached
 * {@link PartitionStepper} (the same code the job engine runs), sends the gradient back in
 * the next request, and returns when told to finish. One request per step; it waits at most
 * {@code timeoutMs} for each answer, so a vanished driver fails the task instead of hanging it.
 */
record StageTask(RpcAddress driver, String endpointName, int generation, long timeoutMs,
    StepSpec spec) implements VoidFunction<Iterator<Block>> {
  private static final long serialVersionUID = 1L;

  @Override
  public void call(Iterator<Block> blocks) {
    if (!blocks.hasNext()) {
      throw new IllegalStateException("partition " + TaskContext.getPartitionId() + " has no block");
    }
    Block block = blocks.next();
    int partition = block.partition();
    int attempt = TaskContext.get().attemptNumber();
    int stageAttempt = TaskContext.get().stageAttemptNumber();
    RpcEndpointRef ref = SparkEnv.get().rpcEnv().setupEndpointRef(driver, endpointName);
    RpcTimeout timeout = new RpcTimeout(FiniteDuration.apply(timeoutMs, TimeUnit.MILLISECONDS),
        StageStepEngine.TIMEOUT_CONF);
    ClassTag<Object[]> tag = ClassTag$.MODULE$.apply(Object[].class);
    PartitionStepper stepper = PartitionStepper.forPartition(spec, partition);
    StageFault fault = StageFault.forTask(partition, attempt);
    StageRequest request = StageRequest.join(partition, attempt, stageAttempt, generation);
    while (true) {
      StageWork work = StageWork.fromWire(ref.askSync(request.toWire(), timeout, tag));
      if (work.isFinish()) {
        return;
      }
      if (fault.beforeCompute(work.seq)) {
        throw StageFault.injected(partition, work.seq);
      }
      PartitionGradient g = stepper.step(block, work.weights, work.epoch, work.step);
      request = new StageRequest(partition, attempt, stageAttempt, generation, work.seq, g);
      if (fault.afterDelivery(work.seq)) {
        ref.ask(request.toWire(), timeout, tag);
        throw StageFault.injected(partition, work.seq);
      }
    }
  }
}
