package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.choiceOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;

import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.Block;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.io.OutputPolicy;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.train.Scorer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code predict}: per-row predictions of a saved model, written as CSV (with a header) or
 * Parquet into the directory {@code --out}: Spark writes them into a hidden directory beside
 * it, which is then renamed into place under the {@link OutputPolicy} (earlier predictions are
 * replaced; a directory predict did not write only with {@code --overwrite}; a model never).
 * Columns: {@code row} (0-based position in the input, files in path order), then for a
 * classifier {@code prediction} (the class label) and {@code prob_<label>} per class, for
 * regression {@code prediction} (one target) or {@code pred_<target>} per target.
 */
final class PredictCommand {
  static final String NAME = "predict";

  private PredictCommand() {}

  static List<OptionSpec> specs() {
    List<OptionSpec> specs = ScoringData.options();
    specs.add(pathOption("out").required().describe("output directory of the predictions"));
    specs.add(OutputOptions.overwrite());
    specs.add(choiceOption("output-format", "csv", "parquet").defaultValue("csv")
        .describe("format of the predictions"));
    return specs;
  }

  static void run(SparkSession spark, ParsedOptions o, PrintStream out) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    OutputPolicy.Output target = ScoringData.policy(o, conf, NAME)
        .stagedDirectory("--out", o.getString("out"), PredictCommand::ownEntry);
    SavedModel model = ModelPaths.read(o.getString("model"), conf);
    Dataset data = ScoringData.load(spark, o, model, false, out);
    spark.sparkContext().setJobDescription("predict " + o.getString("data") + " -> "
        + o.getString("out"));
    ModelOutputs outputs = ModelOutputs.of(model);
    boolean classifier = model.isClassifier();
    double[] labels = model.classLabels();
    int k = outputs.width();
    JavaRDD<Row> rows = data.blocks().flatMap((Block b) -> {
      double[] y = outputs.forBlock(b);
      List<Row> result = new ArrayList<>(b.rows());
      for (int r = 0; r < b.rows(); r++) {
        Object[] values = new Object[(classifier || k > 1 ? k : 0) + 2];
        values[0] = b.firstRow() + r;
        if (classifier) {
          values[1] = labels[Scorer.argmax(y, r * k, k)];
          for (int j = 0; j < k; j++) {
            values[2 + j] = y[r * k + j];
          }
        } else if (k == 1) {
          values[1] = y[r];
        } else {
          values = new Object[k + 1];
          values[0] = b.firstRow() + r;
          for (int j = 0; j < k; j++) {
            values[1 + j] = y[r * k + j];
          }
        }
        result.add(RowFactory.create(values));
      }
      return result.iterator();
    });
    String format = o.getChoice("output-format");
    Path staged = target.staging();
    try {
      spark.createDataFrame(rows, schema(model)).write().mode("errorifexists")
          .option("header", "true").format(format).save(staged.toString());
      target.install(staged);
    } catch (IOException | RuntimeException e) {
      target.discard(staged);
      throw e;
    }
    out.printf(Locale.ROOT, "wrote %d predictions to %s (%s)%n", data.numRows(),
        o.getString("out"), format);
    data.unpersist();
  }

  /** What Spark writes into an output directory: part files and the success flag. */
  private static boolean ownEntry(String name) {
    return name.startsWith("part-") || name.equals("_SUCCESS");
  }

  static StructType schema(SavedModel model) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("row", DataTypes.LongType, false));
    int k = model.mlp().numOutputs();
    if (model.isClassifier()) {
      fields.add(DataTypes.createStructField("prediction", DataTypes.DoubleType, false));
      for (double label : model.classLabels()) {
        fields.add(DataTypes.createStructField("prob_" + labelName(label), DataTypes.DoubleType, false));
      }
    } else if (k == 1) {
      fields.add(DataTypes.createStructField("prediction", DataTypes.DoubleType, false));
    } else {
      String[] names = model.targetNames();
      for (int j = 0; j < k; j++) {
        fields.add(DataTypes.createStructField("pred_" + (names != null ? names[j] : Integer.toString(j)),
            DataTypes.DoubleType, false));
      }
    }
    return DataTypes.createStructType(fields);
  }

  /** {@code 3.0} → {@code 3}, other values as Java prints them. */
  static String labelName(double label) {
    return label == Math.rint(label) && Math.abs(label) < 1e15
        ? Long.toString((long) label) : Double.toString(label);
  }
}
