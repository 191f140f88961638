package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.pathOption;

import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.Dataset;
import io.sparkmlp.data.Split;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.nn.Summary;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * {@code summary}: the torchinfo-style table of a saved model ({@code --model}) or of the
 * network a job would train ({@code --config job.properties}; its data are read to learn the
 * feature and class counts).
 */
final class SummaryCommand {
  static final String NAME = "summary";

  private SummaryCommand() {}

  static List<OptionSpec> specs() {
    List<OptionSpec> specs = new ArrayList<>();
    specs.add(pathOption("model").describe("a saved model: model.safetensors or its directory"));
    for (OptionSpec s : TrainOptions.specs(false)) {
      specs.add(s.name().equals("data")
          ? pathOption("data").describe("training data of the job (to size input and output)")
          : s);
    }
    return specs;
  }

  static void run(ParsedOptions o, PrintStream out, Supplier<SparkSession> spark)
      throws IOException {
    if (o.has("model")) {
      SavedModel m = ModelPaths.read(o.getString("model"), new Configuration());
      out.print(Summary.table(m.mlp(), m.dtype()));
      out.printf(Locale.ROOT, "Task: %s%s%s%n", m.isClassifier() ? "classification" : "regression",
          m.classLabels() != null ? ", classes " + Arrays.toString(m.classLabels()) : "",
          m.featureMean() != null ? ", standardized features" : "");
      return;
    }
    if (!o.has("data")) {
      throw new OptionException("summary needs --model PATH, or a job (--config FILE or --data)");
    }
    SparkSession session = spark.get();
    Split split = DataLoader.load(session,
        TrainOptions.dataSpec(o, "data", TrainOptions.task(o)), TrainOptions.loadOptions(o));
    Dataset train = split.train();
    TrainConfig config = TrainOptions.trainConfig(o);
    MLP mlp = new Trainer(session, config).network(train);
    out.print(Summary.table(mlp, config.dtype()));
    split.unpersist();
  }
}
