package io.sparkmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.BiasInit;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.WeightInit;
import io.sparkmlp.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir java.nio.file.Path dir;
  private final Configuration conf = new Configuration();

  private SavedModel classifier(Dtype dtype) {
    MLP mlp = new MLP(5, new int[] {4, 3}, 3, Activation.GELU, Loss.CROSS_ENTROPY);
    double[] p = mlp.initParameters(WeightInit.PYTORCH, BiasInit.PYTORCH, 11);
    dtype.roundInPlace(p);
    return new SavedModel(mlp, dtype, p, new double[] {-1, 2, 7}, null,
        new double[] {0, 1, 2, 3, 4}, new double[] {1, 1, 0.5, 2, 3}, Map.of("note", "x"));
  }

  @Test
  void roundTripInBothDtypes() throws IOException {
    for (Dtype dtype : Dtype.values()) {
      SavedModel m = classifier(dtype);
      Path path = new Path(dir.resolve("m-" + dtype.optionName() + ".safetensors").toUri());
      ModelFile.write(m, path, conf);
      SavedModel back = ModelFile.read(path, conf);
      assertEquals(m.mlp(), back.mlp());
      assertEquals(dtype, back.dtype());
      assertArrayEquals(m.params(), back.params());
      assertArrayEquals(m.classLabels(), back.classLabels());
      assertArrayEquals(m.featureMean(), back.featureMean());
      assertArrayEquals(m.featureStd(), back.featureStd());
      assertEquals("x", back.extra().get("note"));
      long bytes = Files.size(dir.resolve("m-" + dtype.optionName() + ".safetensors"));
      assertTrue(bytes > (long) m.mlp().numParameters() * dtype.bytes(), "size " + bytes);
    }
    // the atomic write leaves no temporary files or Hadoop .crc files behind
    try (var files = Files.list(dir)) {
      assertEquals(List.of("m-float32.safetensors", "m-float64.safetensors"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void tensorsAreThePytorchStateDict() throws IOException {
    SavedModel m = classifier(Dtype.FLOAT32);
    Safetensors st = ModelFile.toSafetensors(m);
    assertEquals(List.of("model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias",
        "model.4.weight", "model.4.bias"), List.copyOf(st.tensors().keySet()));
    assertArrayEquals(new long[] {4, 5}, st.tensors().get("model.0.weight").shape());
    assertArrayEquals(new long[] {3, 3}, st.tensors().get("model.4.weight").shape());
    assertEquals("5,4,3,3", st.metadata().get("layers"));
    assertEquals("gelu", st.metadata().get("activation"));
    assertEquals("classification", st.metadata().get("task"));
    assertEquals("[-1.0,2.0,7.0]", st.metadata().get("class_labels"));
  }

  @Test
  void pytorchWeightsLoadAsInitialParameters() throws IOException {
    Golden g = Golden.load("nn_relu_ce_f64");
    // the golden file holds a PyTorch state_dict plus other tensors: keep only the state_dict
    Safetensors stateDict = new Safetensors(Map.of(),
        ModelFile.parameterTensors(g.mlp, Dtype.FLOAT64, g.initialParams));
    Path path = new Path(dir.resolve("torch.safetensors").toUri());
    stateDict.write(path, conf);
    assertArrayEquals(g.tensor("model.0.weight"),
        java.util.Arrays.copyOf(ModelFile.readParameters(path, conf, g.mlp), 35));

    MLP wider = new MLP(6, new int[] {7, 4}, 3, Activation.RELU, Loss.CROSS_ENTROPY);
    IOException e = assertThrows(IOException.class, () -> ModelFile.readParameters(path, conf, wider));
    assertTrue(e.getMessage().contains("the file has 5 input features, the data 6"), e.getMessage());
    IOException notModel = assertThrows(IOException.class, () -> ModelFile.read(path, conf));
    assertTrue(notModel.getMessage().contains("no format=spark-mlp"), notModel.getMessage());
  }

  @Test
  void metadataThatContradictsTheTensorsIsRejected() throws IOException {
    Safetensors st = ModelFile.toSafetensors(classifier(Dtype.FLOAT64));
    Map<String, String> meta = new java.util.LinkedHashMap<>(st.metadata());
    meta.put("layers", "5,4,4,3");
    Safetensors lying = new Safetensors(meta, List.copyOf(st.tensors().values()));
    IOException e = assertThrows(IOException.class,
        () -> ModelFile.fromSafetensors(lying, "lying.safetensors"));
    assertTrue(e.getMessage().contains("tensor 'model.2.weight' has shape [3, 4]"), e.getMessage());
    meta.put("layers", "5,4,3,3");
    meta.put("format_version", "9");
    IOException v = assertThrows(IOException.class, () -> ModelFile.fromSafetensors(
        new Safetensors(meta, List.copyOf(st.tensors().values())), "future.safetensors"));
    assertTrue(v.getMessage().contains("format_version 9 is newer"), v.getMessage());
  }
}
