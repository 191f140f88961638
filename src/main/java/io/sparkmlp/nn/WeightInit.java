package io.sparkmlp.nn;

import java.util.Locale;

/**
 * Weight initialisation of an affine layer with {@code fanIn} inputs and {@code fanOut} outputs;
 * every scheme draws {@code W ~ U(−bound, bound)}.
 */
public enum WeightInit {
  /**
   * PyTorch's {@code nn.Linear.reset_parameters}: {@code kaiming_uniform_(a=√5)}, which gives
   * {@code bound = 1/√fanIn}.
   */
  PYTORCH("pytorch"),
  /** He/Kaiming uniform for ReLU ({@code gain = √2}): {@code bound = √(6/fanIn)}. */
  KAIMING_UNIFORM("kaiming_uniform"),
  /** Glorot/Xavier uniform: {@code bound = √(6/(fanIn + fanOut))}. */
  XAVIER_UNIFORM("xavier_uniform");

  private final String optionName;

  WeightInit(String optionName) {
    this.optionName = optionName;
  }

  public String optionName() {
    return optionName;
  }

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

  public static WeightInit parse(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (WeightInit w : values()) {
      if (w.optionName.equals(key)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown init '" + name + "'; expected one of " + Names.join(values()));
  }
}
