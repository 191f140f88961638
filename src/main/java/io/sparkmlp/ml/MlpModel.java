package io.sparkmlp.ml;

import io.sparkmlp.io.SavedModel;

/**
 * What both trained models offer beyond Spark's model API, derived from the one thing each
 * holds: the content of its model file ({@link SavedModel}), whose metadata also carries the
 * summary of the fit that produced it (so a fitted model and the same model loaded back answer
 * alike).
 */
public interface MlpModel extends MlpParams {
  /** What the CLI would save for this model, and what {@code write().save} stores. */
  SavedModel savedModel();

  /** The trained network's flat parameters (PyTorch state_dict order; see {@code MLP}). */
  default double[] weights() {
    return savedModel().params().clone();
  }

  /** Whether the model carries its fit's summary (one made from a CLI model file does not). */
  default boolean hasSummary() {
    return savedModel().extra().containsKey(MlpTrainingSummary.KEY);
  }

  /**
   * The figures of the fit that produced this model: saved with it, so a loaded model has them
   * too.
   *
   * @throws IllegalStateException for a model made from a CLI model file
   */
  default MlpTrainingSummary summary() {
    MlpTrainingSummary summary = MlpTrainingSummary.of(savedModel());
    if (summary == null) {
      throw new IllegalStateException("no training summary: this model " + uid()
          + " was not fitted by an estimator (e.g. made from a CLI model file)");
    }
    return summary;
  }
}
