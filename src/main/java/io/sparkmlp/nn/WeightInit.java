package io.sparkmlp.nn;

/**
 * Weight initialisation of an affine layer with {@code fanIn} inputs and {@code fanOut} outputs;
 * every scheme draws {@code W ~ U(−bound, bound)}.
 */
public enum WeightInit implements Named {
  /**
   * PyTorch's {@code nn.Linear.reset_parameters}: {@code kaiming_uniform_(a=√5)}, which gives
   * {@code bound = 1/√fanIn}.
   */
  PYTORCH,
  /** He/Kaiming uniform for ReLU ({@code gain = √2}): {@code bound = √(6/fanIn)}. */
  KAIMING_UNIFORM,
  /** Glorot/Xavier uniform: {@code bound = √(6/(fanIn + fanOut))}. */
  XAVIER_UNIFORM;

  /** Half-width of the uniform distribution the weights are drawn from. */
  public double bound(int fanIn, int fanOut) {
    switch (this) {
      case KAIMING_UNIFORM:
        return Math.sqrt(6.0 / fanIn);
      case XAVIER_UNIFORM:
        return Math.sqrt(6.0 / (fanIn + fanOut));
      default:
        return 1.0 / Math.sqrt(fanIn);
    }
  }

  /** The scheme named {@code name} (see {@link Named#parse}), e.g. {@code xavier_uniform}. */
  public static WeightInit parse(String name) {
    return Named.parse(WeightInit.class, "init", name);
  }
}
