package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import java.io.Serializable;
import java.util.Objects;

/**
 * How to stack a loaded data set: an immutable value. A training run's options come from the
 * settings table ({@code train.Settings.loadOptions}), with its defaults (2 partitions, seed 42)
 * and the trainer's dtype. {@link #defaults()} is the data layer's own starting point for callers
 * that load data by hand (float32, a single block, no validation part, seed 0, no
 * standardisation, layout by density), refined with {@code withX}.
 */
public final class LoadOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Dtype dtype;
  private final int partitions;
  private final double validationFraction;
  private final long seed;
  private final boolean standardize;
  private final InputLayout layout;

  /**
   * @param partitions number of blocks of each part, at least 1
   * @param validationFraction share of rows held out for validation, {@code 0 <= f < 1}
   * @param seed seeds the permutation that picks the validation rows
   * @param standardize whether to scale features to zero mean, unit (population) std
   */
  public LoadOptions(Dtype dtype, int partitions, double validationFraction, long seed,
      boolean standardize) {
    this(dtype, partitions, validationFraction, seed, standardize, InputLayout.AUTO);
  }

  /** As above, with the features' storage layout (dense, sparse, or chosen by density). */
  public LoadOptions(Dtype dtype, int partitions, double validationFraction, long seed,
      boolean standardize, InputLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    if (!(validationFraction >= 0.0 && validationFraction < 1.0)) {
      throw new IllegalArgumentException(
          "validation fraction must be in [0, 1), got " + validationFraction);
    }
    this.partitions = partitions;
    this.validationFraction = validationFraction;
    this.seed = seed;
    this.standardize = standardize;
  }

  public static LoadOptions defaults() {
    return new LoadOptions(Dtype.FLOAT32, 1, 0.0, 0L, false);
  }

  public LoadOptions withDtype(Dtype d) {
    return new LoadOptions(d, partitions, validationFraction, seed, standardize, layout);
  }

  public LoadOptions withPartitions(int p) {
    return new LoadOptions(dtype, p, validationFraction, seed, standardize, layout);
  }

  public LoadOptions withValidationFraction(double f) {
    return new LoadOptions(dtype, partitions, f, seed, standardize, layout);
  }

  public LoadOptions withSeed(long s) {
    return new LoadOptions(dtype, partitions, validationFraction, s, standardize, layout);
  }

  public LoadOptions withStandardize(boolean s) {
    return new LoadOptions(dtype, partitions, validationFraction, seed, s, layout);
  }

  public LoadOptions withLayout(InputLayout l) {
    return new LoadOptions(dtype, partitions, validationFraction, seed, standardize, l);
  }

  public Dtype dtype() {
    return dtype;
  }

  public int partitions() {
    return partitions;
  }

  public double validationFraction() {
    return validationFraction;
  }

  public long seed() {
    return seed;
  }

  public boolean standardize() {
    return standardize;
  }

  /** Dense, sparse, or {@link InputLayout#AUTO} (by the data's density; the default). */
  public InputLayout layout() {
    return layout;
  }

  @Override
  public String toString() {
    return "LoadOptions{dtype=" + dtype.optionName() + ", partitions=" + partitions
        + ", validationFraction=" + validationFraction + ", seed=" + seed + ", standardize="
        + standardize + ", layout=" + layout.optionName() + "}";
  }
}
