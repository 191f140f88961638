package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.pathOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.cli.report.ConfusionPlot;
import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.io.OutputPolicy;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.metrics.ClassificationMetrics;
import io.sparkmlp.metrics.RegressionMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * {@code evaluate}: scores labelled data with a saved model and prints, and with {@code --out}
 * writes as JSON, the metrics: accuracy, per-class precision/recall/F1, macro F1, log loss and
 * the confusion matrix for a classifier; MSE, RMSE, MAE and R² for regression. Each partition
 * fills its own accumulators; they are merged in partition order. The JSON (first field
 * {@code created_by}) and the {@code --plot} PNG (a text chunk) carry the command's stamp, so
 * the {@link OutputPolicy} replaces them on a re-run and nothing else without
 * {@code --overwrite}.
 */
final class EvaluateCommand {
  static final String NAME = "evaluate";

  private EvaluateCommand() {}

  static List<OptionSpec> specs() {
    List<OptionSpec> specs = ScoringData.options();
    specs.add(pathOption("out").describe("write the metrics as JSON to this file"));
    specs.add(pathOption("plot")
        .describe("write the confusion matrix as a PNG heat map to this file (classifiers)"));
    specs.add(OutputOptions.overwrite());
    return specs;
  }

  /** Runs the evaluation and returns the metrics JSON. */
  static ObjectNode run(SparkSession spark, ParsedOptions o, PrintStream out) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    OutputPolicy policy = ScoringData.policy(o, conf, NAME);
    OutputPolicy.Output jsonOut = o.has("out") ? policy.file("--out", o.getString("out")) : null;
    OutputPolicy.Output plotOut = o.has("plot") ? policy.file("--plot", o.getString("plot"))
        : null;
    SavedModel model = ModelPaths.read(o.getString("model"), conf);
    if (o.has("plot") && !model.isClassifier()) {
      throw new IllegalArgumentException("--plot draws a confusion matrix, which needs a "
          + "classifier; " + o.getString("model") + " is a regression model");
    }
    Dataset data = ScoringData.load(spark, o, model, true, out);
    spark.sparkContext().setJobDescription("evaluate " + o.getString("model") + " on "
        + o.getString("data"));
    ModelOutputs outputs = ModelOutputs.of(model);
    boolean classifier = model.isClassifier();
    int k = outputs.width();
    List<Serializable> parts = data.blocks().map((Block b) -> {
      double[] y = outputs.forBlock(b);
      double[] w = b.rowWeights();
      if (classifier) {
        ClassificationMetrics m = new ClassificationMetrics(k);
        for (int r = 0; r < b.rows(); r++) {
          if (w == null) {
            m.add(b.labels()[r], y, r * k);
          } else {
            m.add(b.labels()[r], y, r * k, w[r]);
          }
        }
        return (Serializable) m;
      }
      RegressionMetrics m = new RegressionMetrics(k);
      double[] t = new double[k];
      for (int r = 0; r < b.rows(); r++) {
        for (int j = 0; j < k; j++) {
          t[j] = b.targets32() != null ? b.targets32()[r * k + j] : b.targets64()[r * k + j];
        }
        if (w == null) {
          m.add(y, r * k, t, 0);
        } else {
          m.add(y, r * k, t, 0, w[r]);
        }
      }
      return (Serializable) m;
    }).collect();
    ObjectNode json;
    String text;
    if (classifier) {
      ClassificationMetrics total = new ClassificationMetrics(k);
      parts.forEach(p -> total.merge((ClassificationMetrics) p));
      json = total.toJson(model.classLabels());
      text = total.toText(model.classLabels());
      if (plotOut != null) {
        plotOut.write(ConfusionPlot.png(o.getString("data"), total, model.classLabels(),
            policy.stamp()));
      }
    } else {
      RegressionMetrics total = new RegressionMetrics(k);
      parts.forEach(p -> total.merge((RegressionMetrics) p));
      json = total.toJson(model.targetNames());
      text = total.toText(model.targetNames());
    }
    out.print(text);
    if (jsonOut != null) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode stamped = mapper.createObjectNode().put("created_by", policy.stamp());
      stamped.setAll(json);
      jsonOut.write(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(stamped));
      out.println("metrics written to " + o.getString("out"));
    }
    if (o.has("plot")) {
      out.println("confusion matrix written to " + o.getString("plot"));
    }
    data.unpersist();
    return json;
  }
}
