package io.sparkmlp.cli.options;

import static io.sparkmlp.cli.options.OptionSpec.booleanOption;
import static io.sparkmlp.cli.options.OptionSpec.choiceOption;
import static io.sparkmlp.cli.options.OptionSpec.doubleOption;
import static io.sparkmlp.cli.options.OptionSpec.intListOption;
import static io.sparkmlp.cli.options.OptionSpec.intOption;
import static io.sparkmlp.cli.options.OptionSpec.intOrKeywordOption;
import static io.sparkmlp.cli.options.OptionSpec.longOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;
import static io.sparkmlp.cli.options.OptionSpec.stringOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A train-like command with one option of every kind, shared by the option tests. */
final class TrainSpecs {
  static final List<OptionSpec> SPECS = List.of(
      pathOption("data").required().describe("training data"),
      intOption("epochs").min(1).defaultValue(10).describe("passes over the training data"),
      doubleOption("lr").greaterThan(0).defaultValue(0.01).describe("learning rate"),
      intListOption("hidden").min(1).allowEmpty().defaultValue(64).describe("hidden layer sizes"),
      choiceOption("activation", "relu", "leaky_relu", "sigmoid", "tanh", "gelu", "identity")
          .defaultValue("relu").describe("activation of the hidden layers"),
      intOrKeywordOption("batch-size", "full").min(1).defaultKeyword()
          .describe("rows per step, or the whole data set"),
      doubleOption("validation-fraction").atLeast(0).lessThan(1).defaultValue(0.1)
          .describe("share of rows held out"),
      booleanOption("shuffle").describe("shuffle rows every epoch"),
      longOption("seed").defaultValue(42).describe("random seed"),
      stringOption("name").describe("run name"),
      pathOption("out").describe("output directory"));

  private TrainSpecs() {}

  static ParsedOptions parse(String... args) {
    return Options.parse(SPECS, args);
  }

  /** Writes a job file {@code dir/job.properties} with the given lines. */
  static Path jobFile(Path dir, String... lines) {
    try {
      return Files.write(dir.resolve("job.properties"), List.of(lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
