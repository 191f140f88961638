package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void mnistNetworkNumbers() {
    MLP mlp = new MLP(784, new int[] {256, 128}, 10, Activation.RELU, Loss.CROSS_ENTROPY);
    // (n + 1)·h per layer
    assertEquals(785L * 256, Summary.layerParameters(mlp, 0));
    assertEquals(257L * 128, Summary.layerParameters(mlp, 1));
    assertEquals(129L * 10, Summary.layerParameters(mlp, 2));
    assertEquals(785 * 256 + 257 * 128 + 129 * 10, mlp.numParameters());

    String table = Summary.table(mlp, Dtype.FLOAT32);
    assertTrue(table.contains("Linear: model.0"), table);
    assertTrue(table.contains("784 x 256"), table);
    assertTrue(table.contains("200,960"), table);
    assertTrue(table.contains("ReLU: model.1"), table);
    assertTrue(table.contains("Linear: model.4"), table);
    assertTrue(table.contains("Total params: 235,146"), table);
    // 235146 float32 parameters = 0.94 MB, Adam's two moments twice that
    assertTrue(table.contains("parameters 0.94 MB, gradients 0.94 MB, Adam state (2 moments) 1.88 MB"),
        table);
  }

  @Test
  void networkWithoutHiddenLayersHasOneLinear() {
    MLP mlp = new MLP(10, new int[0], 1, Activation.TANH, Loss.MSE);
    String table = Summary.table(mlp, Dtype.FLOAT64);
    assertEquals(11, mlp.numParameters());
    assertTrue(table.contains("Linear: model.0"));
    assertTrue(!table.contains("Tanh"), table);
    assertTrue(table.contains("Total params: 11"), table);
  }
}
