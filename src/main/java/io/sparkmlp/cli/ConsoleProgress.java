package io.sparkmlp.cli;

import io.sparkmlp.nn.Loss;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on the console: one line per epoch (and per N steps with
 * {@code --log-every}), plain lines so logs and CI stay readable.
 */
final class ConsoleProgress implements TrainingListener {
  private final PrintStream out;
  private final Loss loss;
  private final int logEvery;
  private int epochs;
  private int stepsPerEpoch;

  ConsoleProgress(PrintStream out, Loss loss, int logEvery) {
    this.out = out;
    this.loss = loss;
    this.logEvery = logEvery;
  }

  @Override
  public void onStart(int epochs, int stepsPerEpoch, long trainRows, String engine) {
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    out.printf(Locale.ROOT, "training on %d rows: %d epochs x %d steps (%s step engine)%n",
        trainRows, epochs, stepsPerEpoch, engine);
  }

  @Override
  public void onStep(int epoch, int step, long globalStep, double stepLoss, double lr, long rows) {
    if (logEvery > 0 && globalStep % logEvery == 0) {
      out.printf(Locale.ROOT, "  epoch %d/%d step %d/%d  loss %.4f  lr %.3g%n", epoch, epochs,
          step, stepsPerEpoch, stepLoss, lr);
    }
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "epoch %d/%d  loss %.4f", m.epoch, epochs, m.trainLoss));
    if (Double.isFinite(m.valLoss)) {
      sb.append(String.format(Locale.ROOT, "  val_loss %.4f", m.valLoss));
      sb.append(loss == Loss.CROSS_ENTROPY
          ? String.format(Locale.ROOT, "  val_acc %.2f%%", 100 * m.valMetric)
          : String.format(Locale.ROOT, "  val_rmse %.4f  val_r2 %.4f", m.valMetric, m.valR2));
    }
    sb.append(String.format(Locale.ROOT, "  lr %.3g  %.2f s  %.0f rows/s", m.lr, m.seconds,
        m.rowsPerSecond));
    out.println(sb);
  }
}
