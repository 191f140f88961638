package io.sparkmlp.nn;

import java.util.Locale;

/**
 * A torchinfo-style table of an {@link MLP}: one row per module of the equivalent PyTorch
 * {@code nn.Sequential}, with output shape, weight shape (n × h), biases (h) and parameters
 * ((n + 1)·h), then totals and the memory of parameters, gradients and Adam's two moments.
 */
public final class Summary {
  private Summary() {}

  /** Parameters of affine layer l: {@code (n_l + 1)·h_l}. */
  public static long layerParameters(MLP mlp, int l) {
    return (long) (mlp.size(l) + 1) * mlp.size(l + 1);
  }

  /** The table as text, for {@code dtype}'s element size. */
  public static String table(MLP mlp, Dtype dtype) {
    String rowFormat = "%-22s %-14s %-13s %-8s %12s%n";
    StringBuilder sb = new StringBuilder();
    String rule = "=".repeat(73) + "\n";
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, rowFormat, "Layer (type:index)", "Output shape", "Weights",
        "Biases", "Param #"));
    sb.append(rule);
    int module = 0;
    for (int l = 0; l < mlp.numLayers(); l++) {
      int n = mlp.size(l);
      int h = mlp.size(l + 1);
      sb.append(String.format(Locale.ROOT, rowFormat, "Linear: model." + module, "[m, " + h + "]",
          n + " x " + h, Integer.toString(h), group(layerParameters(mlp, l))));
      module++;
      if (l < mlp.numLayers() - 1) {
        sb.append(String.format(Locale.ROOT, rowFormat,
            mlp.activation().torchName() + ": model." + module, "[m, " + h + "]", "-", "-", "0"));
        module++;
      }
    }
    long total = mlp.numParameters();
    sb.append(rule);
    sb.append("Input: [m, ").append(mlp.numInputs()).append("]   Loss: ")
        .append(mlp.loss().optionName()).append("   dtype: ").append(dtype.optionName())
        .append('\n');
    sb.append("Total params: ").append(group(total)).append('\n');
    sb.append("Trainable params: ").append(group(total)).append('\n');
    long bytes = total * dtype.bytes();
    sb.append(String.format(Locale.ROOT,
        "Memory: parameters %s, gradients %s, Adam state (2 moments) %s%n",
        megabytes(bytes), megabytes(bytes), megabytes(2 * bytes)));
    sb.append(rule);
    return sb.toString();
  }

  private static String group(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }
}
