package io.sparkmlp.nn;

/** Bias initialisation of an affine layer with {@code fanIn} inputs. */
public enum BiasInit implements Named {
  /** PyTorch's {@code nn.Linear} default: {@code b ~ U(−1/√fanIn, 1/√fanIn)}. */
  PYTORCH,
  /** {@code b = 0}. */
  ZEROS;

  /** The scheme named {@code name} (see {@link Named#parse}). */
  public static BiasInit parse(String name) {
    return Named.parse(BiasInit.class, "bias init", name);
  }
}
