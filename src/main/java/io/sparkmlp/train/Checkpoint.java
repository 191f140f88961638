package io.sparkmlp.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.io.CheckpointFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.optim.OptimizerState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RunState} as a checkpoint file holds it: a snapshot of the state between two steps,
 * plus the identity of the run it belongs to ({@code run}: configuration and data
 * fingerprints, see {@link Checkpointer}).
 *
 * <p>File layout ({@link CheckpointFile}, safetensors), format version 2: float64 tensors
 * {@code params}, {@code optimizer.<i>} (the state's buffers), {@code epoch_start_params} (only
 * inside an epoch, step &gt; 0), {@code best_params} (only when early stopping kept some) and
 * {@code history} ([epochs, 9]: epoch, train loss, validation loss, metric, R², lr, seconds,
 * rows/s, steps — NaN survives, unlike JSON); metadata strings {@code epoch}, {@code step},
 * {@code global_step}, {@code optimizer_step}, {@code epoch_loss_sum}, {@code epoch_rows},
 * {@code epoch_seconds}, {@code best_loss}, {@code best_epoch} ({@link Double#toString}
 * round-trips every double exactly) and {@code run} (the identity, a JSON object of strings).
 *
 * <p>Version 1 (before the run state held the epoch's start weights and time) lacks
 * {@code epoch_start_params} and {@code epoch_seconds}; it is read as before: a resume inside
 * an epoch takes the checkpoint's weights for the epoch's start (which only the end-of-epoch
 * divergence rule uses) and its time from the resume on.
 */
final class Checkpoint extends RunState {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HISTORY_COLUMNS = 9;

  final Map<String, String> run;

  /** A snapshot of {@code state} (the epoch's time so far frozen) for the run {@code run}. */
  Checkpoint(RunState state, Map<String, String> run) {
    super(state);
    this.epochSecondsBefore = state.epochSecondsSoFar();
    this.run = Map.copyOf(run);
  }

  /** A checkpoint as version 1 records it (see the class comment); arrays are copied. */
  Checkpoint(int epoch, int step, long globalStep, double[] params, OptimizerState optimizerState,
      double epochLossSum, long epochRows, double bestLoss, int bestEpoch, double[] bestParams,
      List<EpochMetrics> history, Map<String, String> run) {
    super(epoch, step, globalStep, params, optimizerState, epochLossSum, epochRows, bestLoss,
        bestEpoch, bestParams, history);
    this.run = Map.copyOf(run);
  }

  /** Writes this checkpoint (atomically, checksummed) in the current format version. */
  void write(org.apache.hadoop.fs.Path path, org.apache.hadoop.conf.Configuration conf)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("epoch", Integer.toString(epoch));
    meta.put("step", Integer.toString(step));
    meta.put("global_step", Long.toString(globalStep));
    meta.put("optimizer_step", Long.toString(optimizerState.step()));
    meta.put("epoch_loss_sum", Double.toString(epochLossSum));
    meta.put("epoch_rows", Long.toString(epochRows));
    meta.put("epoch_seconds", Double.toString(epochSecondsBefore));
    meta.put("best_loss", Double.toString(bestLoss));
    meta.put("best_epoch", Integer.toString(bestEpoch));
    try {
      meta.put("run", JSON.writeValueAsString(new java.util.TreeMap<>(run)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    tensors.add(vector("params", params));
    for (int i = 0; i < optimizerState.numBuffers(); i++) {
      tensors.add(vector("optimizer." + i, optimizerState.buffer(i)));
    }
    if (step > 0) {
      tensors.add(vector("epoch_start_params", epochStartParams));
    }
    if (bestParams != null) {
      tensors.add(vector("best_params", bestParams));
    }
    double[] h = new double[history.size() * HISTORY_COLUMNS];
    for (int r = 0; r < history.size(); r++) {
      EpochMetrics m = history.get(r);
      double[] row = {m.epoch, m.trainLoss, m.valLoss, m.valMetric, m.valR2, m.lr, m.seconds,
          m.rowsPerSecond, m.steps};
      System.arraycopy(row, 0, h, r * HISTORY_COLUMNS, HISTORY_COLUMNS);
    }
    tensors.add(new Safetensors.Tensor("history", Dtype.FLOAT64,
        new long[] {history.size(), HISTORY_COLUMNS}, h));
    CheckpointFile.write(path, conf, meta, tensors);
  }

  /**
   * Validates a checkpoint file's bytes for a run with {@code numParams} parameters and an
   * optimizer state of {@code numBuffers} buffers as long as the parameters; every
   * inconsistency is an IOException naming the file ({@code source}) and the bad value.
   */
  static Checkpoint parse(byte[] bytes, String source, int numParams, int numBuffers)
      throws IOException {
    return decode(CheckpointFile.parse(bytes, source), source, numParams,
        new OptimizerState(0, new double[numBuffers][numParams]));
  }

  /**
   * The run identity recorded in a checkpoint file already read by {@link CheckpointFile}: it
   * can be compared with the current run before the tensors are checked against the current
   * network, so a changed network is named as a difference, not taken for a damaged file.
   */
  static Map<String, String> run(Safetensors file, String source) throws IOException {
    return new Fields(file, source).run();
  }

  /**
   * The checkpoint in a file already read by {@link CheckpointFile}, validated as {@link #parse}
   * for {@code numParams} parameters and an optimizer state shaped as {@code fresh} (the run's
   * optimizer's new state: its buffers' number and lengths, e.g. none long for plain SGD).
   */
  static Checkpoint decode(Safetensors file, String source, int numParams,
      OptimizerState fresh) throws IOException {
    Fields f = new Fields(file, source);
    boolean v1 = CheckpointFile.formatVersion(file) == 1;
    double[] params = f.vector("params", numParams);
    int numBuffers = fresh.numBuffers();
    double[][] buffers = new double[numBuffers][];
    for (int i = 0; i < numBuffers; i++) {
      buffers[i] = f.vector("optimizer." + i, fresh.buffer(i).length);
    }
    int step = (int) f.nonNegative("step", Integer.MAX_VALUE);
    int expectedTensors = 2 + numBuffers;
    double[] epochStart = null;
    if (step > 0 && !v1) {
      epochStart = f.vector("epoch_start_params", numParams);
      expectedTensors++;
    }
    double[] best = null;
    if (file.tensors().containsKey("best_params")) {
      best = f.vector("best_params", numParams);
      expectedTensors++;
    }
    if (file.tensors().size() != expectedTensors) {
      throw f.bad("holds tensors " + file.tensors().keySet() + ", expected params, "
          + numBuffers + " optimizer buffer(s), history, "
          + (v1 ? "" : "epoch_start_params inside an epoch ") + "and optionally best_params");
    }
    Safetensors.Tensor h = file.tensors().get("history");
    if (h == null || h.shape().length != 2 || h.shape()[1] != HISTORY_COLUMNS) {
      throw f.bad("history tensor must have shape [epochs, " + HISTORY_COLUMNS + "]");
    }
    List<EpochMetrics> history = new ArrayList<>();
    double[] v = h.values();
    for (int r = 0; r < h.shape()[0]; r++) {
      int o = r * HISTORY_COLUMNS;
      history.add(new EpochMetrics((int) v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5],
          v[o + 6], v[o + 7], (long) v[o + 8]));
    }
    int epoch = (int) f.nonNegative("epoch", Integer.MAX_VALUE);
    if (history.size() != epoch) {
      throw f.bad("epoch is " + epoch + " but the history holds " + history.size() + " epochs");
    }
    OptimizerState state;
    try {
      state = new OptimizerState(f.nonNegative("optimizer_step", Long.MAX_VALUE), buffers);
    } catch (IllegalArgumentException e) {
      throw f.bad(e.getMessage());
    }
    Checkpoint c = new Checkpoint(epoch, step, f.nonNegative("global_step", Long.MAX_VALUE),
        params, state, f.real("epoch_loss_sum"), f.nonNegative("epoch_rows", Long.MAX_VALUE),
        f.real("best_loss"), (int) f.nonNegative("best_epoch", epoch), best, history, f.run());
    if (!v1) {
      if (epochStart != null) {
        System.arraycopy(epochStart, 0, c.epochStartParams, 0, numParams);
      }
      c.epochSecondsBefore = f.seconds("epoch_seconds");
    }
    return c;
  }

  private static Safetensors.Tensor vector(String name, double[] values) {
    return new Safetensors.Tensor(name, Dtype.FLOAT64, new long[] {values.length}, values);
  }

  /** Typed access to a checkpoint's metadata and tensors, naming the bad value on failure. */
  private static final class Fields {
    private final Safetensors file;
    private final String source;

    Fields(Safetensors file, String source) {
      this.file = file;
      this.source = source;
    }

    double[] vector(String name, int length) throws IOException {
      Safetensors.Tensor t = file.tensors().get(name);
      if (t == null) {
        throw bad("has no tensor '" + name + "' (found " + file.tensors().keySet() + ")");
      }
      if (t.shape().length != 1 || t.shape()[0] != length) {
        throw bad("tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
            + ", this run needs [" + length + "]");
      }
      return t.values();
    }

    String string(String key) throws IOException {
      String v = file.metadata().get(key);
      if (v == null) {
        throw bad("metadata key '" + key + "' is missing");
      }
      return v;
    }

    long nonNegative(String key, long max) throws IOException {
      String v = string(key);
      try {
        long n = Long.parseLong(v);
        if (n >= 0 && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below with the value
      }
      throw bad("metadata " + key + "='" + v + "' is not an integer in [0, " + max + "]");
    }

    double real(String key) throws IOException {
      String v = string(key);
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw bad("metadata " + key + "='" + v + "' is not a number");
      }
    }

    double seconds(String key) throws IOException {
      double s = real(key);
      if (!(s >= 0) || Double.isInfinite(s)) {
        throw bad("metadata " + key + "='" + string(key) + "' is not a duration in seconds");
      }
      return s;
    }

    Map<String, String> run() throws IOException {
      String v = string("run");
      try {
        Map<String, String> m = JSON.readValue(v, new TypeReference<Map<String, String>>() {});
        if (m == null || m.containsValue(null)) {
          throw bad("metadata run='" + v + "' is not a JSON object of non-null strings");
        }
        return m;
      } catch (JsonProcessingException e) {
        throw bad("metadata run is not a JSON object of strings: " + e.getOriginalMessage());
      }
    }

    IOException bad(String what) {
      return new IOException("invalid checkpoint file " + source + ": " + what);
    }
  }
}
