package io.sparkmlp.train;

import io.sparkmlp.nn.MLP;
import java.util.List;

/**
 * The outcome of a run: the network, its final parameters (the best epoch's when early stopping
 * restored them), the per-epoch history and which epoch was best (1-based, by validation loss,
 * or the last epoch without validation data).
 */
public final class TrainResult {
  public final MLP mlp;
  public final double[] params;
  public final List<EpochMetrics> history;
  public final int bestEpoch;
  public final boolean stoppedEarly;
  public final double seconds;
  public final String engine;

  public TrainResult(MLP mlp, double[] params, List<EpochMetrics> history, int bestEpoch,
      boolean stoppedEarly, double seconds, String engine) {
    this.mlp = mlp;
    this.params = params;
    this.history = List.copyOf(history);
    this.bestEpoch = bestEpoch;
    this.stoppedEarly = stoppedEarly;
    this.seconds = seconds;
    this.engine = engine;
  }
}
