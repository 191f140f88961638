package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.Block;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.testing.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * A task of a cancelled stage launch that is still running must not compute into the
 * partition's gradient buffer, which the new launch's task has handed on (the driver reads it
 * by reference in local mode).
 */
class PartitionStepperTest {
  @Test
  void aTaskOfAnOlderLaunchIsRefusedAndLeavesTheNewLaunchsGradientAlone() {
    Block block = StageStepEngineTest.digits(SparkTestSession.get(), Dtype.FLOAT64, 2, false)
        .train().blocks().first();
    MLP mlp = new MLP(64, new int[] {8}, 10, Activation.RELU, Loss.CROSS_ENTROPY);
    StepSpec spec = new StepSpec("stale-launch-test", mlp, Dtype.FLOAT64, Device.CPU,
        1797, 64, true, 3);
    Object weights = Kernel.cpu(mlp, Dtype.FLOAT64, PartitionStepper.CHUNK_ROWS)
        .shipWeights(mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 3));
    PartitionStepper stepper = PartitionStepper.forPartition(spec, block.partition());
    try {
      double[] handedOn = (double[]) stepper.step(block, weights, 0, 0, 2).gradient;
      double[] expected = handedOn.clone();
      IllegalStateException stale = assertThrows(IllegalStateException.class,
          () -> stepper.step(block, weights, 0, 1, 1));
      assertTrue(stale.getMessage().contains("launch 1") && stale.getMessage().contains(
          "launch 2 computes this partition now"), stale.getMessage());
      assertArrayEquals(expected, handedOn, 0.0, "the stale task wrote the handed-on buffer");
      double[] next = (double[]) stepper.step(block, weights, 0, 1, 3).gradient;
      assertTrue(next.length == mlp.numParameters(), "a newer launch computes");
    } finally {
      PartitionStepper.release(spec.runId());
    }
  }
}
