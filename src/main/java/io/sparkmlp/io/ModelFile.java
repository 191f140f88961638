package io.sparkmlp.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The model file: a safetensors file whose tensors are exactly the {@code state_dict()} of the
 * PyTorch module
 *
 * <pre>{@code
 * nn.Sequential(nn.Linear(n0, n1), Act(), nn.Linear(n1, n2), Act(), ..., nn.Linear(n_{L-1}, n_L))
 * }</pre>
 *
 * <p>stored as {@code model.<i>.weight} ([out, in], row-major) and {@code model.<i>.bias}, and
 * whose {@code __metadata__} (format version {@value #FORMAT_VERSION}) carries the rest:
 * {@code format=spark-mlp}, {@code format_version}, {@code layers} ("784,256,128,10"),
 * {@code activation}, {@code loss}, {@code dtype}, {@code task}, {@code class_labels} (JSON array,
 * classification), {@code target_names} (JSON array, regression), {@code feature_mean} and
 * {@code feature_std} (JSON arrays, with standardisation), plus any extra keys.
 * {@code PytorchMLP(...).load_state_dict(safetensors.torch.load_file(path))} loads it.
 */
public final class ModelFile {
  /** The model file's name in a training output directory. */
  public static final String FILE_NAME = "model.safetensors";
  public static final String FORMAT = "spark-mlp";
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> RESERVED = List.of("format", "format_version", "layers",
      "activation", "loss", "dtype", "task", "class_labels", "target_names", "feature_mean",
      "feature_std");

  private ModelFile() {}

  /** Writes the model atomically through Hadoop's FileSystem. */
  public static void write(SavedModel model, Path path, Configuration conf) throws IOException {
    toSafetensors(model).write(path, conf);
  }

  /** The safetensors content of a model. */
  public static Safetensors toSafetensors(SavedModel model) {
    MLP mlp = model.mlp();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", Integer.toString(FORMAT_VERSION));
    meta.put("layers", joinSizes(mlp.layerSizes()));
    meta.put("activation", mlp.activation().optionName());
    meta.put("loss", mlp.loss().optionName());
    meta.put("dtype", model.dtype().optionName());
    meta.put("task", model.isClassifier() ? "classification" : "regression");
    if (model.classLabels() != null) {
      meta.put("class_labels", toJson(model.classLabels()));
    }
    if (model.targetNames() != null) {
      meta.put("target_names", toJson(model.targetNames()));
    }
    if (model.featureMean() != null) {
      meta.put("feature_mean", toJson(model.featureMean()));
      meta.put("feature_std", toJson(model.featureStd()));
    }
    model.extra().forEach((k, v) -> {
      if (RESERVED.contains(k)) {
        throw new IllegalArgumentException("metadata key '" + k + "' is reserved");
      }
      meta.put(k, v);
    });
    return new Safetensors(meta, parameterTensors(mlp, model.dtype(), model.params()));
  }

  /** The parameters as PyTorch state_dict tensors, in state_dict order. */
  public static List<Safetensors.Tensor> parameterTensors(MLP mlp, Dtype dtype, double[] params) {
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      int w0 = mlp.weightOffset(l);
      int b0 = mlp.biasOffset(l);
      tensors.add(new Safetensors.Tensor(MLP.weightKey(l), dtype, new long[] {h, n},
          Arrays.copyOfRange(params, w0, w0 + n * h)));
      tensors.add(new Safetensors.Tensor(MLP.biasKey(l), dtype, new long[] {h},
          Arrays.copyOfRange(params, b0, b0 + h)));
    }
    return tensors;
  }

  /** Reads and validates a model file written by {@link #write}. */
  public static SavedModel read(Path path, Configuration conf) throws IOException {
    return fromSafetensors(Safetensors.read(path, conf), path.toString());
  }

  /** Validates the metadata of a model file and builds the model. */
  public static SavedModel fromSafetensors(Safetensors file, String source) throws IOException {
    Map<String, String> meta = file.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw bad(source, "metadata has no format=" + FORMAT
          + " (a bare state_dict can be used as --init-weights, not as a model)");
    }
    int version = parseInt(source, "format_version", require(meta, "format_version", source));
    if (version > FORMAT_VERSION) {
      throw bad(source, "format_version " + version + " is newer than this build reads ("
          + FORMAT_VERSION + ")");
    }
    MLP mlp;
    Dtype dtype;
    try {
      int[] sizes = parseSizes(require(meta, "layers", source));
      if (sizes.length < 2) {
        throw new IllegalArgumentException("layers needs at least input and output sizes");
      }
      mlp = new MLP(sizes[0], Arrays.copyOfRange(sizes, 1, sizes.length - 1),
          sizes[sizes.length - 1], Activation.parse(require(meta, "activation", source)),
          Loss.parse(require(meta, "loss", source)));
      dtype = Dtype.parse(require(meta, "dtype", source));
    } catch (IllegalArgumentException e) {
      throw bad(source, e.getMessage());
    }
    double[] params = parameters(file, mlp, source, true);
    Map<String, String> extra = new LinkedHashMap<>(meta);
    RESERVED.forEach(extra::remove);
    try {
      return new SavedModel(mlp, dtype, params,
          doubles(source, meta, "class_labels"), strings(source, meta, "target_names"),
          doubles(source, meta, "feature_mean"), doubles(source, meta, "feature_std"), extra);
    } catch (IllegalArgumentException e) {
      throw bad(source, e.getMessage());
    }
  }

  /**
   * The parameters of a state_dict file (ours or PyTorch's) for the architecture {@code mlp}:
   * every key of the module must be present with the right shape and nothing else may be, as
   * with PyTorch's strict {@code load_state_dict}.
   */
  public static double[] readParameters(Path path, Configuration conf, MLP mlp) throws IOException {
    return parameters(Safetensors.read(path, conf), mlp, path.toString(), true);
  }

  /**
   * The parameters in {@code file}'s state_dict tensors for {@code mlp}, validated as in
   * {@link #readParameters}; other tensors are refused unless {@code strict} is false.
   */
  public static double[] parameters(Safetensors file, MLP mlp, String source, boolean strict)
      throws IOException {
    Map<String, Safetensors.Tensor> tensors = file.tensors();
    double[] params = new double[mlp.numParameters()];
    List<String> expected = new ArrayList<>();
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      copy(tensors, MLP.weightKey(l), new long[] {h, n}, params, mlp.weightOffset(l), source, mlp);
      copy(tensors, MLP.biasKey(l), new long[] {h}, params, mlp.biasOffset(l), source, mlp);
      expected.add(MLP.weightKey(l));
      expected.add(MLP.biasKey(l));
    }
    for (String name : tensors.keySet()) {
      if (strict && !expected.contains(name)) {
        throw bad(source, "unexpected tensor '" + name + "' for a network " + mlp
            + " (expected exactly " + expected + ")");
      }
    }
    return params;
  }

  private static void copy(Map<String, Safetensors.Tensor> tensors, String key, long[] shape,
      double[] params, int offset, String source, MLP mlp) throws IOException {
    Safetensors.Tensor t = tensors.get(key);
    if (t == null) {
      throw bad(source, "missing tensor '" + key + "' of a network " + mlp
          + " (found " + tensors.keySet() + ")");
    }
    if (!Arrays.equals(t.shape(), shape)) {
      String hint = key.equals(MLP.weightKey(0)) && t.shape().length == 2
          && t.shape()[0] == shape[0]
          ? " (the file has " + t.shape()[1] + " input features, the data " + shape[1] + ")" : "";
      throw bad(source, "tensor '" + key + "' has shape " + Arrays.toString(t.shape())
          + ", the network " + mlp + " needs " + Arrays.toString(shape) + hint);
    }
    System.arraycopy(t.values(), 0, params, offset, t.values().length);
  }

  private static String require(Map<String, String> meta, String key, String source)
      throws IOException {
    String v = meta.get(key);
    if (v == null) {
      throw bad(source, "metadata key '" + key + "' is missing");
    }
    return v;
  }

  private static int parseInt(String source, String key, String value) throws IOException {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw bad(source, "metadata " + key + "='" + value + "' is not an integer");
    }
  }

  /** Parses "784,256,10". */
  public static int[] parseSizes(String csv) {
    String[] parts = csv.split(",");
    int[] sizes = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        sizes[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("layer sizes '" + csv + "' are not integers");
      }
    }
    return sizes;
  }

  private static String joinSizes(int[] sizes) {
    StringBuilder sb = new StringBuilder();
    for (int s : sizes) {
      sb.append(sb.length() == 0 ? "" : ",").append(s);
    }
    return sb.toString();
  }

  private static double[] doubles(String source, Map<String, String> meta, String key)
      throws IOException {
    String v = meta.get(key);
    if (v == null) {
      return null;
    }
    try {
      return JSON.readValue(v, double[].class);
    } catch (JsonProcessingException e) {
      throw bad(source, "metadata " + key + " is not a JSON array of numbers");
    }
  }

  private static String[] strings(String source, Map<String, String> meta, String key)
      throws IOException {
    String v = meta.get(key);
    if (v == null) {
      return null;
    }
    try {
      return JSON.readValue(v, String[].class);
    } catch (JsonProcessingException e) {
      throw bad(source, "metadata " + key + " is not a JSON array of strings");
    }
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IOException bad(String source, String what) {
    return new IOException("invalid model file " + source + ": " + what);
  }
}
