package io.sparkmlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.cli.report.StepPoint;
import io.sparkmlp.io.AtomicFiles;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes {@code metrics.jsonl} (one JSON object per epoch) and, with {@code --log-every N},
 * {@code steps.jsonl} (one per N steps) into the output directory, rewriting each file
 * atomically after every epoch so it can be followed while training runs.
 *
 * <p>Epoch fields: {@code epoch, train_loss, val_loss, val_accuracy | val_rmse and val_r2, lr, seconds,
 * rows_per_second, steps} (validation fields are null without validation data). Step fields:
 * {@code epoch, step, global_step, loss, lr, rows}. These names are a stable interface (plots
 * and dashboards read them): add fields, never rename them.
 *
 * <p>The recorded steps stay available through {@link #steps()} for the training report's
 * per-step curves.
 */
final class MetricsLog implements TrainingListener {
  /** One object per epoch. */
  static final String EPOCHS_FILE = "metrics.jsonl";
  /** One object per {@code --log-every} steps. */
  static final String STEPS_FILE = "steps.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Configuration conf;
  private final Loss loss;
  private final int logEvery;
  private final StringBuilder epochs = new StringBuilder();
  private final StringBuilder steps = new StringBuilder();
  private final List<StepPoint> stepPoints = new ArrayList<>();

  MetricsLog(Path dir, Configuration conf, Loss loss, int logEvery) {
    this.dir = dir;
    this.conf = conf;
    this.loss = loss;
    this.logEvery = logEvery;
  }

  @Override
  public void onStep(int epoch, int step, long globalStep, double stepLoss, double lr, long rows) {
    if (logEvery > 0 && globalStep % logEvery == 0) {
      StepPoint point = new StepPoint(epoch, step, globalStep, stepLoss, lr, rows);
      steps.append(JSON.valueToTree(point).toString()).append('\n');
      stepPoints.add(point);
    }
  }

  /** The steps recorded so far (every {@code --log-every} steps; none without it). */
  List<StepPoint> steps() {
    return List.copyOf(stepPoints);
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("epoch", m.epoch);
    o.put("train_loss", m.trainLoss);
    putFinite(o, "val_loss", m.valLoss);
    putFinite(o, loss == Loss.CROSS_ENTROPY ? "val_accuracy" : "val_rmse", m.valMetric);
    if (loss != Loss.CROSS_ENTROPY) {
      putFinite(o, "val_r2", m.valR2);
    }
    o.put("lr", m.lr);
    o.put("seconds", m.seconds);
    o.put("rows_per_second", m.rowsPerSecond);
    o.put("steps", m.steps);
    epochs.append(o).append('\n');
    flush();
  }

  /** Writes both files now. */
  void flush() {
    try {
      AtomicFiles.write(new Path(dir, EPOCHS_FILE), conf,
          epochs.toString().getBytes(StandardCharsets.UTF_8));
      if (logEvery > 0) {
        AtomicFiles.write(new Path(dir, STEPS_FILE), conf,
            steps.toString().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics to " + dir, e);
    }
  }

  private static void putFinite(ObjectNode o, String key, double value) {
    if (Double.isFinite(value)) {
      o.put(key, value);
    } else {
      o.putNull(key);
    }
  }
}
