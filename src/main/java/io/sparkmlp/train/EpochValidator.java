package io.sparkmlp.train;

import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.MLP;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Scores the validation set after every epoch. A small validation set (at most
 * {@link #DRIVER_LIMIT_BYTES} of features) is collected to the driver once and scored there,
 * block by block in partition order: no Spark job per epoch, so the stage engine keeps its
 * long-lived tasks across epochs. A larger one is scored by a Spark job per epoch
 * ({@link Trainer#validate}). Both sum the same per-block {@link Scorer} figures in partition
 * order.
 */
final class EpochValidator {
  /** Largest validation part (its cached bytes) scored on the driver: 64 MiB. */
  static final long DRIVER_LIMIT_BYTES = 64L << 20;

  private final Dataset validation;
  private final MLP mlp;
  private final Dtype dtype;
  private final List<Block> onDriver;

  private EpochValidator(Dataset validation, MLP mlp, Dtype dtype, List<Block> onDriver) {
    this.validation = validation;
    this.mlp = mlp;
    this.dtype = dtype;
    this.onDriver = onDriver;
  }

  /** A validator for {@code validation} (not null), collecting it when it is small. */
  static EpochValidator of(Dataset validation, MLP mlp, Dtype dtype) {
    long bytes = validation.cachedBytes();
    List<Block> blocks = bytes <= DRIVER_LIMIT_BYTES ? validation.blocks().collect() : null;
    return new EpochValidator(validation, mlp, dtype, blocks);
  }

  /** Whether scoring runs Spark jobs (which then need the executors' task slots). */
  boolean needsSparkJobs() {
    return onDriver == null;
  }

  ValidationStats validate(JavaSparkContext jsc, double[] params) {
    if (onDriver == null) {
      return Trainer.validate(jsc, mlp, dtype, params, validation);
    }
    Scorer scorer = new Scorer(mlp, dtype, params);
    ValidationStats total = new ValidationStats(0, 0, 0, 0, 0, 0);
    for (Block b : onDriver) {
      total = total.plus(scorer.validate(b, validation.targetScaling()));
    }
    return total;
  }
}
