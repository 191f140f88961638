package io.sparkmlp.nn;

/**
 * Element-wise activations applied after every hidden affine layer, with the derivatives
 * PyTorch's autograd uses (including its choice at the kinks: {@code relu'(0) = 0},
 * {@code leaky_relu'(0) = 0.01}).
 *
 * <p>{@link #derivative(double, double)} takes both the pre-activation {@code z} and the
 * activation {@code a = σ(z)}: sigmoid and tanh are cheapest from {@code a}, GELU needs {@code z}.
 */
public enum Activation implements Named {
  /** {@code max(0, z)}. */
  RELU("ReLU") {
    @Override public double apply(double z) {
      return z > 0 ? z : 0.0;
    }

    @Override public double derivative(double z, double a) {
      return z > 0 ? 1.0 : 0.0;
    }
  },
  /** {@code z} for {@code z > 0}, else {@code 0.01·z} (PyTorch's default negative slope). */
  LEAKY_RELU("LeakyReLU") {
    @Override public double apply(double z) {
      return z > 0 ? z : LEAKY_SLOPE * z;
    }

    @Override public double derivative(double z, double a) {
      return z > 0 ? 1.0 : LEAKY_SLOPE;
    }
  },
  /** {@code 1 / (1 + e^(−z))}; {@code σ' = a(1 − a)}. */
  SIGMOID("Sigmoid") {
    @Override public double apply(double z) {
      return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override public double derivative(double z, double a) {
      return a * (1.0 - a);
    }
  },
  /** {@code tanh(z)}; {@code σ' = 1 − a²}. */
  TANH("Tanh") {
    @Override public double apply(double z) {
      return Math.tanh(z);
    }

    @Override public double derivative(double z, double a) {
      return 1.0 - a * a;
    }
  },
  /**
   * Exact GELU, {@code z·Φ(z) = ½·z·(1 + erf(z/√2))}, as {@code nn.GELU()}; {@code σ' = Φ(z) +
   * z·φ(z)} with {@code φ(z) = e^(−z²/2)/√(2π)}.
   */
  GELU("GELU") {
    @Override public double apply(double z) {
      return 0.5 * z * (1.0 + SpecialFunctions.erf(z * INV_SQRT2));
    }

    @Override public double derivative(double z, double a) {
      double cdf = 0.5 * (1.0 + SpecialFunctions.erf(z * INV_SQRT2));
      double pdf = Math.exp(-0.5 * z * z) * INV_SQRT_2PI;
      return cdf + z * pdf;
    }
  },
  /** {@code z}: a linear network, or a network without hidden layers. */
  IDENTITY("Identity") {
    @Override public double apply(double z) {
      return z;
    }

    @Override public double derivative(double z, double a) {
      return 1.0;
    }
  };

  /** Negative slope of {@link #LEAKY_RELU}, PyTorch's default. */
  public static final double LEAKY_SLOPE = 0.01;
  private static final double INV_SQRT2 = 0.7071067811865476;
  private static final double INV_SQRT_2PI = 0.3989422804014327;

  private final String torchName;

  Activation(String torchName) {
    this.torchName = torchName;
  }

  /** {@code σ(z)}. */
  public abstract double apply(double z);

  /** {@code σ'(z)}, given {@code z} and {@code a = σ(z)}. */
  public abstract double derivative(double z, double a);

  /** The PyTorch module name, e.g. {@code LeakyReLU}, used in summaries. */
  public String torchName() {
    return torchName;
  }

  /** The activation named {@code name} (see {@link Named#parse}), e.g. {@code leaky_relu}. */
  public static Activation parse(String name) {
    return Named.parse(Activation.class, "activation", name);
  }
}
