package io.sparkmlp.train;

/**
 * Values of {@link Settings}, whoever holds them: the parsed command line, a Spark ML stage's
 * Params, a {@link TrainConfig}. {@link TrainConfig#from} and {@link Settings#loadOptions} read
 * a run's configuration from any of them, so the trainer and the data loader always get the
 * same dtype and seed.
 */
public interface SettingValues {
  /** The value of {@code setting} (its default unless set); null for an optional one unset. */
  <T> T get(Setting<T> setting);
}
