package io.sparkmlp.cli.report;

import io.sparkmlp.io.AtomicFiles;
import io.sparkmlp.metrics.ClassificationMetrics;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.Summary;
import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainResult;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The training report: {@code report.html} in the output directory, one self-contained page
 * (plots embedded as data URIs, so it opens offline and can be mailed) with the run's summary,
 * per-epoch table, plots, model summary and effective configuration; the plots are also written
 * beside it as PNG files ({@link #LOSS_PNG}, {@link #ACCURACY_PNG} or {@link #RMSE_PNG},
 * {@link #LR_PNG}, {@link #CONFUSION_PNG}) for slides and issues.
 *
 * <p>Everything comes from the driver's memory after training: the per-epoch history, the steps
 * recorded with {@code --log-every} (per-step loss and learning-rate curves; per epoch without
 * them), and, for a classifier with validation data, the validation set's confusion matrix.
 */
public final class TrainingReport {
  public static final String FILE = "report.html";
  public static final String LOSS_PNG = "loss.png";
  public static final String ACCURACY_PNG = "accuracy.png";
  public static final String RMSE_PNG = "rmse.png";
  public static final String LR_PNG = "learning_rate.png";
  public static final String CONFUSION_PNG = "confusion_matrix.png";
  /** Every file the report may write. */
  public static final List<String> FILES =
      List.of(FILE, LOSS_PNG, ACCURACY_PNG, RMSE_PNG, LR_PNG, CONFUSION_PNG);

  private final TrainResult result;
  private final Dtype dtype;
  private final String config;
  private final List<String[]> facts = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private List<StepPoint> steps = List.of();
  private ClassificationMetrics confusion;
  private double[] classLabels;

  /**
   * @param config the effective configuration ({@code config.properties}'s text)
   */
  public TrainingReport(TrainResult result, Dtype dtype, String config) {
    this.result = result;
    this.dtype = dtype;
    this.config = config;
  }

  /** Adds a line to the summary table (data set, rows, where the model went). */
  public TrainingReport fact(String name, String value) {
    facts.add(new String[] {name, value});
    return this;
  }

  /** Names another file of the output directory for the page's file list. */
  public TrainingReport file(String name) {
    files.add(name);
    return this;
  }

  /** The steps recorded with {@code --log-every}: per-step loss and learning-rate curves. */
  public TrainingReport steps(List<StepPoint> recorded) {
    this.steps = List.copyOf(recorded);
    return this;
  }

  /** The validation set's classification metrics, for the confusion-matrix plot. */
  public TrainingReport validationConfusion(ClassificationMetrics metrics, double[] labels) {
    this.confusion = metrics;
    this.classLabels = labels.clone();
    return this;
  }

  /** Writes the PNGs and {@link #FILE} into {@code dir}; returns the page's path. */
  public Path write(Path dir, Configuration conf) throws IOException {
    boolean classifier = result.mlp.loss() == Loss.CROSS_ENTROPY;
    boolean validated = Double.isFinite(result.history.get(0).valLoss);
    HtmlPage page = new HtmlPage("spark-mlp training report");
    page.paragraph("generated " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME),
        true);
    page.heading("Summary").facts(summaryFacts(classifier, validated));
    page.heading("Epochs").table(epochHeader(classifier, validated),
        epochRows(classifier, validated));

    page.heading("Curves");
    List<String> plots = new ArrayList<>();
    figure(page, dir, conf, plots, LOSS_PNG, "Loss per epoch" + (steps.isEmpty() ? "" : " and step"),
        Curves.loss(result.history, steps));
    if (validated) {
      figure(page, dir, conf, plots, classifier ? ACCURACY_PNG : RMSE_PNG,
          classifier ? "Validation accuracy" : "Validation RMSE",
          Curves.quality(result.history, classifier));
    }
    figure(page, dir, conf, plots, LR_PNG,
        steps.isEmpty() ? "Learning rate (last step of each epoch)" : "Learning rate per step",
        Curves.learningRate(result.history, steps));
    if (confusion != null) {
      page.heading("Validation set");
      figure(page, dir, conf, plots, CONFUSION_PNG, "Confusion matrix of the validation set",
          ConfusionPlot.png("validation set", confusion, classLabels));
      page.preformatted(confusion.toText(classLabels));
    } else if (!validated) {
      page.paragraph("No validation data (--validation-fraction or --validation-data): "
          + "no validation curves or confusion matrix.", true);
    }

    page.heading("Model").preformatted(Summary.table(result.mlp, dtype));
    page.heading("Configuration").preformatted(config);
    List<String> all = new ArrayList<>(files);
    all.addAll(plots);
    page.heading("Files").links(all);
    Path target = new Path(dir, FILE);
    AtomicFiles.write(target, conf, page.render());
    return target;
  }

  private void figure(HtmlPage page, Path dir, Configuration conf, List<String> written,
      String file, String caption, byte[] png) throws IOException {
    AtomicFiles.write(new Path(dir, file), conf, png);
    written.add(file);
    page.figure(caption, file, png);
  }

  private List<String[]> summaryFacts(boolean classifier, boolean validated) {
    List<EpochMetrics> h = result.history;
    EpochMetrics kept = result.stoppedEarly ? h.get(result.bestEpoch - 1) : h.get(h.size() - 1);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"network", result.mlp + ", " + dtype.optionName()});
    rows.add(new String[] {"epochs run", h.size() + (result.stoppedEarly ? " (stopped early)" : "")});
    rows.add(new String[] {"model kept", "epoch " + kept.epoch});
    if (validated) {
      rows.add(new String[] {"best epoch (lowest val_loss)", Integer.toString(result.bestEpoch)});
    }
    rows.add(new String[] {"train_loss", num(kept.trainLoss)});
    if (validated) {
      rows.add(new String[] {"val_loss", num(kept.valLoss)});
      if (classifier) {
        rows.add(new String[] {"val_accuracy", percent(kept.valMetric)});
      } else {
        rows.add(new String[] {"val_rmse", num(kept.valMetric)});
        rows.add(new String[] {"val_r2", num(kept.valR2)});
      }
    }
    rows.add(new String[] {"wall time", String.format(Locale.ROOT, "%.1f s", result.seconds)});
    rows.add(new String[] {"step engine", result.engine});
    rows.addAll(facts);
    return rows;
  }

  private static List<String> epochHeader(boolean classifier, boolean validated) {
    List<String> header = new ArrayList<>(List.of("epoch", "train_loss"));
    if (validated) {
      header.addAll(classifier ? List.of("val_loss", "val_accuracy")
          : List.of("val_loss", "val_rmse", "val_r2"));
    }
    header.addAll(List.of("lr", "seconds", "rows/s"));
    return header;
  }

  private List<List<String>> epochRows(boolean classifier, boolean validated) {
    List<List<String>> rows = new ArrayList<>();
    for (EpochMetrics m : result.history) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(m.epoch), num(m.trainLoss)));
      if (validated) {
        row.add(num(m.valLoss));
        row.addAll(classifier ? List.of(percent(m.valMetric)) : List.of(num(m.valMetric),
            num(m.valR2)));
      }
      row.addAll(List.of(String.format(Locale.ROOT, "%.3g", m.lr),
          String.format(Locale.ROOT, "%.2f", m.seconds),
          String.format(Locale.ROOT, "%.0f", m.rowsPerSecond)));
      rows.add(row);
    }
    return rows;
  }

  private static String num(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }

  private static String percent(double x) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * x);
  }
}
