package io.sparkmlp.nn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The description of a multilayer perceptron: layer sizes, hidden activation and loss, and the
 * layout of all its parameters in one flat array. Immutable and serializable; it holds no
 * weights (see {@link Float64Kernel}/{@link Float32Kernel} for the computation).
 *
 * <p>Affine layer {@code l} ({@code 0 ≤ l < L}) maps {@code n_l = size(l)} inputs to
 * {@code h_l = size(l+1)} outputs: {@code Z = X·Wᵀ + 1·bᵀ}, X is (m, n_l), W is (h_l, n_l) as
 * PyTorch's {@code nn.Linear.weight}, b is (h_l). Every layer but the last is followed by the
 * activation; the last layer's output is the logits (cross-entropy) or the prediction (MSE).
 *
 * <p>Parameter layout, the same for weights, gradients, optimizer moments and the model file
 * (PyTorch {@code state_dict()} order): for each layer, {@code W} row-major ({@code h_l · n_l}
 * values, {@code W[j][i]} at {@code weightOffset(l) + j·n_l + i}), then {@code b}
 * ({@code h_l} values at {@code biasOffset(l)}).
 */
public final class MLP implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] sizes;
  private final Activation activation;
  private final Loss loss;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final int numParameters;

  /**
   * @param nInput number of input features, ≥ 1
   * @param hidden widths of the hidden layers (may be empty), each ≥ 1
   * @param nOutput classes (cross-entropy, ≥ 2) or regression outputs (MSE, ≥ 1)
   */
  public MLP(int nInput, int[] hidden, int nOutput, Activation activation, Loss loss) {
    if (nInput < 1) {
      throw new IllegalArgumentException("number of inputs must be >= 1, got " + nInput);
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException(
            "hidden layer sizes must be >= 1, got " + Arrays.toString(hidden));
      }
    }
    if (loss == Loss.CROSS_ENTROPY && nOutput < 2) {
      throw new IllegalArgumentException(
          "cross-entropy needs at least 2 classes, got " + nOutput + " outputs");
    }
    if (nOutput < 1) {
      throw new IllegalArgumentException("number of outputs must be >= 1, got " + nOutput);
    }
    this.activation = activation;
    this.loss = loss;
    this.sizes = new int[hidden.length + 2];
    sizes[0] = nInput;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = nOutput;
    int layers = sizes.length - 1;
    weightOffsets = new int[layers];
    biasOffsets = new int[layers];
    long offset = 0;
    for (int l = 0; l < layers; l++) {
      weightOffsets[l] = (int) offset;
      offset += (long) sizes[l] * sizes[l + 1];
      biasOffsets[l] = (int) offset;
      offset += sizes[l + 1];
      if (offset > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "network too large: more than 2^31 parameters (" + Arrays.toString(sizes) + ")");
      }
    }
    numParameters = (int) offset;
  }

  /** Number of affine layers L (hidden layers + 1). */
  public int numLayers() {
    return sizes.length - 1;
  }

  /** Width of level {@code k}: 0 is the input, {@code L} the output. */
  public int size(int k) {
    return sizes[k];
  }

  public int numInputs() {
    return sizes[0];
  }

  public int numOutputs() {
    return sizes[sizes.length - 1];
  }

  /** The hidden layer widths (a copy). */
  public int[] hiddenSizes() {
    return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
  }

  /** All widths, input to output (a copy), e.g. {@code [784, 256, 128, 10]}. */
  public int[] layerSizes() {
    return sizes.clone();
  }

  public Activation activation() {
    return activation;
  }

  public Loss loss() {
    return loss;
  }

  /** Offset of layer {@code l}'s weight matrix (h_l, n_l) in the flat parameter array. */
  public int weightOffset(int l) {
    return weightOffsets[l];
  }

  /** Offset of layer {@code l}'s bias vector (h_l) in the flat parameter array. */
  public int biasOffset(int l) {
    return biasOffsets[l];
  }

  /** Total parameters: {@code Σ (n_l + 1)·h_l}. */
  public int numParameters() {
    return numParameters;
  }

  /** The PyTorch {@code state_dict} key of layer {@code l}'s weight: {@code model.<2l>.weight}. */
  public static String weightKey(int l) {
    return "model." + (2 * l) + ".weight";
  }

  /** The PyTorch {@code state_dict} key of layer {@code l}'s bias: {@code model.<2l>.bias}. */
  public static String biasKey(int l) {
    return "model." + (2 * l) + ".bias";
  }

  /**
   * Fresh parameters, deterministic in {@code seed}: layer by layer, W row-major then b, each
   * value {@code U(−bound, bound)} from one {@link SplittableRandom} (whose algorithm the JDK
   * specifies, so the same seed gives the same weights on every JVM).
   */
  public double[] initParameters(WeightInit weightInit, BiasInit biasInit, long seed) {
    double[] params = new double[numParameters];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int l = 0; l < numLayers(); l++) {
      int fanIn = sizes[l];
      int fanOut = sizes[l + 1];
      double wBound = weightInit.bound(fanIn, fanOut);
      int w0 = weightOffsets[l];
      for (int i = 0; i < fanIn * fanOut; i++) {
        params[w0 + i] = uniform(rng, wBound);
      }
      if (biasInit == BiasInit.PYTORCH) {
        double bBound = 1.0 / Math.sqrt(fanIn);
        for (int j = 0; j < fanOut; j++) {
          params[biasOffsets[l] + j] = uniform(rng, bBound);
        }
      }
    }
    return params;
  }

  private static double uniform(SplittableRandom rng, double bound) {
    return (2.0 * rng.nextDouble() - 1.0) * bound;
  }

  /** The same architecture description, for messages: {@code 784-256-128-10 relu cross-entropy}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < sizes.length; k++) {
      sb.append(k == 0 ? "" : "-").append(sizes[k]);
    }
    return sb + " " + activation.optionName() + " " + loss.optionName();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MLP)) {
      return false;
    }
    MLP other = (MLP) o;
    return Arrays.equals(sizes, other.sizes)
        && activation == other.activation
        && loss == other.loss;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sizes) * 31 + activation.hashCode() * 7 + loss.hashCode();
  }
}
