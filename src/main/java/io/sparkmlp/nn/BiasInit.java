package io.sparkmlp.nn;

import java.util.Locale;

/** Bias initialisation of an affine layer with {@code fanIn} inputs. */
public enum BiasInit {
  /** PyTorch's {@code nn.Linear} default: {@code b ~ U(−1/√fanIn, 1/√fanIn)}. */
  PYTORCH,
  /** {@code b = 0}. */
  ZEROS;

  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BiasInit parse(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (BiasInit b : values()) {
      if (b.optionName().equals(key)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown bias init '" + name + "'; expected one of " + Names.join(values()));
  }
}
