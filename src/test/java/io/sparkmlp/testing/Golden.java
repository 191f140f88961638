package io.sparkmlp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.data.Task;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A golden file written by {@code src/test/python/make_golden.py} (PyTorch): the network it
 * describes, its initial weights and its tensors.
 */
public final class Golden {
  public final String name;
  public final Safetensors file;
  public final MLP mlp;
  public final double[] initialParams;

  private Golden(String name, Safetensors file) throws IOException {
    this.name = name;
    this.file = file;
    Map<String, String> m = file.metadata();
    String hidden = m.get("hidden").trim();
    int[] hiddenSizes = hidden.isEmpty() ? new int[0] : ModelFile.parseSizes(hidden);
    this.mlp = new MLP(Integer.parseInt(m.get("n_input")), hiddenSizes,
        Integer.parseInt(m.get("n_output")), Activation.parse(m.get("activation")),
        Loss.parse(m.get("loss")));
    this.initialParams = ModelFile.parameters(file, mlp, name, false);
  }

  /** Loads {@code golden/<name>.safetensors} from the test class path. */
  public static Golden load(String name) {
    String resource = "/golden/" + name + ".safetensors";
    try (InputStream in = Golden.class.getResourceAsStream(resource)) {
      assertNotNull(in, "missing golden file " + resource);
      return new Golden(name, Safetensors.parse(in.readAllBytes(), resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String meta(String key) {
    String v = file.metadata().get(key);
    assertNotNull(v, name + ": no metadata " + key);
    return v;
  }

  public double[] tensor(String key) {
    Safetensors.Tensor t = file.tensors().get(key);
    assertNotNull(t, name + ": no tensor " + key);
    return t.values();
  }

  /**
   * The golden's rows as a CSV file {@code dir/<name>.csv}: the label column ({@code label}, or
   * {@code t0..t(k-1)} for MSE: {@link #labelCols}), the features {@code f0..}, then the sample
   * weights {@code w} when the golden has them; every value printed so it parses back exactly.
   */
  public Path writeCsv(Path dir) throws IOException {
    double[] x = tensor("x");
    double[] y = tensor("y");
    double[] w = file.tensors().containsKey("w") ? tensor("w") : null;
    int n = mlp.numInputs();
    int k = mlp.numOutputs();
    boolean regression = mlp.loss() == Loss.MSE;
    StringBuilder sb = new StringBuilder(String.join(",", labelCols()));
    for (int i = 0; i < n; i++) {
      sb.append(",f").append(i);
    }
    sb.append(w != null ? ",w\n" : "\n");
    for (int r = 0; r < x.length / n; r++) {
      if (regression) {
        for (int j = 0; j < k; j++) {
          sb.append(j == 0 ? "" : ",").append(y[r * k + j]);
        }
      } else {
        sb.append((int) y[r]);
      }
      for (int i = 0; i < n; i++) {
        sb.append(',').append(x[r * n + i]);
      }
      sb.append(w != null ? "," + w[r] + "\n" : "\n");
    }
    return Files.writeString(dir.resolve(name + ".csv"), sb);
  }

  /**
   * The CSV of {@link #writeCsv} loaded as the trainer loads data: float64 in {@code partitions}
   * partitions, classification or regression by the loss, with the weight column {@code w} when
   * the golden has weights.
   */
  public Split split(SparkSession spark, Path csv, int partitions) {
    DataSpec spec = DataSpec.of(csv.toString())
        .withTask(mlp.loss() == Loss.MSE ? Task.REGRESSION : Task.CLASSIFICATION)
        .withLabelCols(labelCols());
    if (file.tensors().containsKey("w")) {
      spec = spec.withWeightCol("w");
    }
    return DataLoader.load(spark, spec,
        LoadOptions.defaults().withDtype(Dtype.FLOAT64).withPartitions(partitions));
  }

  /** The label columns of {@link #writeCsv}: {@code label}, or {@code t0..t(k-1)} for MSE. */
  public List<String> labelCols() {
    if (mlp.loss() != Loss.MSE) {
      return List.of("label");
    }
    List<String> cols = new ArrayList<>();
    for (int j = 0; j < mlp.numOutputs(); j++) {
      cols.add("t" + j);
    }
    return cols;
  }

  /** The state_dict under a prefix (e.g. {@code grad.}, {@code final.}) in the flat layout. */
  public double[] flat(String prefix) {
    double[] out = new double[mlp.numParameters()];
    for (int l = 0; l < mlp.numLayers(); l++) {
      double[] w = tensor(prefix + MLP.weightKey(l));
      double[] b = tensor(prefix + MLP.biasKey(l));
      System.arraycopy(w, 0, out, mlp.weightOffset(l), w.length);
      System.arraycopy(b, 0, out, mlp.biasOffset(l), b.length);
    }
    return out;
  }

  /** Class labels stored as F64 values, as ints. */
  public int[] labels() {
    double[] y = tensor("y");
    int[] labels = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      labels[i] = (int) y[i];
    }
    return labels;
  }

  /**
   * Asserts {@code |actual − expected| ≤ rtol·max|expected|} element-wise: relative to the
   * tensor's scale, so entries that are zero in exact arithmetic do not demand exact zeros.
   */
  public static void assertClose(double[] expected, double[] actual, double rtol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double tol = rtol * Math.max(scale, Double.MIN_NORMAL);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + "[" + i + "] (scale " + scale + ")");
    }
  }

  /**
   * The trainer's configuration that replays this PyTorch optimizer run (an {@code opt_*} file
   * with the full optimizer metadata): the network, float64, the optimizer and its
   * hyper-parameters (Adam's at their defaults for SGD runs), the schedule, the batch size and
   * the recorded steps as whole epochs, unshuffled.
   */
  public TrainConfig optimizerRun() {
    int rows = tensor("x").length / mlp.numInputs();
    int steps = Integer.parseInt(meta("steps"));
    boolean full = "full".equals(meta("batch_size"));
    int batch = full ? TrainConfig.FULL_BATCH : Integer.parseInt(meta("batch_size"));
    boolean sgd = meta("optimizer").equals("sgd");
    int perEpoch = full ? 1 : (rows + batch - 1) / batch;
    assertEquals(0, steps % perEpoch, name + ": the run is whole epochs");
    String clip = file.metadata().get("grad_clip_norm");
    return new TrainConfig()
        .hidden(mlp.hiddenSizes())
        .activation(mlp.activation())
        .dtype(Dtype.FLOAT64)
        .optimizer(TrainConfig.OptimizerKind.parse(meta("optimizer")))
        .lr(Double.parseDouble(meta("lr")))
        .momentum(Double.parseDouble(meta("momentum")))
        .dampening(Double.parseDouble(meta("dampening")))
        .nesterov(Boolean.parseBoolean(meta("nesterov")))
        .weightDecay(Double.parseDouble(meta("weight_decay")))
        .beta1(sgd ? 0.9 : Double.parseDouble(meta("beta1")))
        .beta2(sgd ? 0.999 : Double.parseDouble(meta("beta2")))
        .eps(sgd ? 1e-8 : Double.parseDouble(meta("eps")))
        .schedule(LrSchedule.Kind.parse(meta("schedule")))
        .warmupSteps(Integer.parseInt(meta("warmup_steps")))
        .batchSize(batch)
        .epochs(steps / perEpoch)
        .set(Settings.GRAD_CLIP_NORM, clip == null ? 0.0 : Double.parseDouble(clip))
        .shuffle(false);
  }
}
