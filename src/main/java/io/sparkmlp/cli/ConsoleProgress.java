package io.sparkmlp.cli;

import io.sparkmlp.nn.Loss;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on the console.
 *
 * <p>On a terminal ({@code live}) a status line (epoch, step, running loss, rows/s, ETA) is
 * redrawn in place with a carriage return, at most {@link #REDRAW_NANOS} apart so a fast loop
 * does not spend its time printing; each finished epoch replaces it with a permanent line.
 * Otherwise (a log file, CI) there are only plain lines: one per epoch, and one per N steps with
 * {@code --log-every}, so logs stay grep-able and free of control characters.
 */
final class ConsoleProgress implements TrainingListener {
  /** Minimum time between two redraws of the live line: 10 per second. */
  static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final Loss loss;
  private final int logEvery;
  private final boolean live;
  private final LongSupplier clock;
  private int epochs;
  private int stepsPerEpoch;
  private long startNanos;
  private long epochStartNanos;
  private long lastDrawNanos;
  private long epochRows;
  private double epochLossRows;
  private int drawnWidth;

  /**
   * @param live redraw a status line in place (for a terminal)
   * @param clock nanosecond clock (e.g. {@link System#nanoTime}), injectable for tests
   */
  ConsoleProgress(PrintStream out, Loss loss, int logEvery, boolean live, LongSupplier clock) {
    this.out = out;
    this.loss = loss;
    this.logEvery = logEvery;
    this.live = live;
    this.clock = clock;
  }

  /** Progress on {@code out}, live only when it is the process's stdout and that is a terminal. */
  static ConsoleProgress forConsole(PrintStream out, Loss loss, int logEvery) {
    boolean terminal = out == System.out && System.console() != null;
    return new ConsoleProgress(out, loss, logEvery, terminal, System::nanoTime);
  }

  @Override
  public void onStart(int epochs, int stepsPerEpoch, long trainRows, String engine) {
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    startNanos = clock.getAsLong();
    epochStartNanos = startNanos;
    lastDrawNanos = startNanos - REDRAW_NANOS;
    out.printf(Locale.ROOT, "training on %d rows: %d epochs x %d steps (%s step engine)%n",
        trainRows, epochs, stepsPerEpoch, engine);
  }

  @Override
  public void onStep(int epoch, int step, long globalStep, double stepLoss, double lr, long rows) {
    long now = clock.getAsLong();
    epochRows += rows;
    epochLossRows += stepLoss * rows;
    if (logEvery > 0 && globalStep % logEvery == 0) {
      permanent(String.format(Locale.ROOT, "  epoch %d/%d step %d/%d  loss %.4f  lr %.3g  ETA %s",
          epoch, epochs, step, stepsPerEpoch, stepLoss, lr, eta(now, globalStep)));
    }
    if (live && now - lastDrawNanos >= REDRAW_NANOS) {
      lastDrawNanos = now;
      double seconds = (now - epochStartNanos) / 1e9;
      draw(String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f  %.0f rows/s  ETA %s",
          epoch, epochs, step, stepsPerEpoch, epochLossRows / epochRows,
          seconds > 0 ? epochRows / seconds : 0.0, eta(now, globalStep)));
    }
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    long now = clock.getAsLong();
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
    if (m.epoch < epochs) {
      sb.append("  ETA ").append(eta(now, (long) m.epoch * stepsPerEpoch));
    }
    permanent(sb.toString());
    epochStartNanos = now;
    lastDrawNanos = now - REDRAW_NANOS;
    epochRows = 0;
    epochLossRows = 0;
  }

  /** Replaces the live line (if one is drawn) by {@code line} and ends it. */
  private void permanent(String line) {
    if (drawnWidth > 0) {
      out.print('\r');
      out.print(padded(line));
      drawnWidth = 0;
    } else {
      out.print(line);
    }
    out.println();
  }

  private void draw(String line) {
    out.print('\r');
    out.print(padded(line));
    out.flush();
    drawnWidth = line.length();
  }

  /** {@code line} padded with spaces over what the previous live line covered. */
  private String padded(String line) {
    return line.length() >= drawnWidth ? line : line + " ".repeat(drawnWidth - line.length());
  }

  /** Time left at the mean step time so far (validation included), as h:mm:ss or m:ss. */
  private String eta(long now, long stepsDone) {
    long total = (long) epochs * stepsPerEpoch;
    long seconds = Math.round((now - startNanos) / 1e9 / stepsDone * (total - stepsDone));
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
