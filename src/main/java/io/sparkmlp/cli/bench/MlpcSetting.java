package io.sparkmlp.cli.bench;

import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;

/** One configuration of MLlib's {@code MultilayerPerceptronClassifier} in the race. */
record MlpcSetting(String solver, int maxIter, int blockSize) {
  /** MLPC's own defaults. */
  static final MlpcSetting DEFAULTS = new MlpcSetting("l-bfgs", 100, 128);

  MultilayerPerceptronClassifier classifier(int[] layers, long seed) {
    return new MultilayerPerceptronClassifier().setLayers(layers).setSolver(solver)
        .setMaxIter(maxIter).setBlockSize(blockSize).setSeed(seed);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s maxIter %d blockSize %d%s", solver, maxIter, blockSize,
        equals(DEFAULTS) ? " (defaults)" : "");
  }
}
