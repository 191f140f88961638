package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import java.io.Serializable;
import java.util.Objects;

/**
 * How to stack a loaded data set: an immutable value. Start from {@link #defaults()} (float32,
 * 1 partition, no validation part, seed 0, no standardisation) and refine with {@code withX}.
 */
public final class LoadOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Dtype dtype;
  private final int partitions;
  private final double validationFraction;
  private final long seed;
  private final boolean standardize;

  /**
   * @param partitions number of blocks of each part, at least 1
   * @param validationFraction share of rows held out for validation, {@code 0 <= f < 1}
   * @param seed seeds the permutation that picks the validation rows
   * @param standardize whether to scale features to zero mean, unit (population) std
   */
  public LoadOptions(Dtype dtype, int partitions, double validationFraction, long seed,
      boolean standardize) {
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
    return new LoadOptions(d, partitions, validationFraction, seed, standardize);
  }

  public LoadOptions withPartitions(int p) {
    return new LoadOptions(dtype, p, validationFraction, seed, standardize);
  }

  public LoadOptions withValidationFraction(double f) {
    return new LoadOptions(dtype, partitions, f, seed, standardize);
  }

  public LoadOptions withSeed(long s) {
    return new LoadOptions(dtype, partitions, validationFraction, s, standardize);
  }

  public LoadOptions withStandardize(boolean s) {
    return new LoadOptions(dtype, partitions, validationFraction, seed, s);
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

  @Override
  public String toString() {
    return "LoadOptions{dtype=" + dtype.optionName() + ", partitions=" + partitions
        + ", validationFraction=" + validationFraction + ", seed=" + seed + ", standardize="
        + standardize + "}";
  }
}
