package io.sparkmlp.cli.options;

import static io.sparkmlp.cli.options.TrainSpecs.jobFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake, with the exact message the user will read. */
class OptionsErrorTest {
  @TempDir Path dir;

  private static String error(String... args) {
    return assertThrows(OptionException.class, () -> TrainSpecs.parse(args)).getMessage();
  }

  @Test
  void unknownOptionsOnTheCommandLineSuggestTheNearestName() {
    assertEquals("unknown option --learning-rate on the command line; did you mean --lr?",
        error("--data", "d", "--learning-rate", "0.1"));
    assertEquals("unknown option --epoch on the command line; did you mean --epochs?",
        error("--epoch", "3"));
    assertEquals("unknown option --hiden on the command line; did you mean --hidden?",
        error("--hiden=3"));
    assertEquals("unknown option --batchsize on the command line; did you mean --batch-size?",
        error("--batchsize", "3"));
    assertEquals("unknown option --frobnicate on the command line (--help lists the options)",
        error("--frobnicate"));
  }

  @Test
  void unknownJobFileKeysNameTheFile() {
    Path job = jobFile(dir, "data=d", "batchsize=5", "zzz=1");
    assertEquals("unknown key batchsize in " + job + "; did you mean batch-size?",
        error("--config", job.toString()), "the alphabetically first unknown key is reported");
  }

  @Test
  void badValuesNameTheOptionTheValueAndWhatIsAllowed() {
    assertEquals("--lr: expected a number > 0, got '-0.1'", error("--lr", "-0.1"));
    assertEquals("--activation: expected one of relu, leaky_relu, sigmoid, tanh, gelu, identity,"
        + " got 'swish'", error("--activation", "swish"));
    assertEquals("--hidden: expected a possibly empty comma-separated list of integers >= 1, got"
        + " '256,x'", error("--hidden", "256,x"));
    assertEquals("--hidden: expected a possibly empty comma-separated list of integers >= 1, got"
        + " '256,,128'", error("--hidden", "256,,128"));
    assertEquals("--epochs: expected an integer >= 1, got '0'", error("--epochs=0"));
    assertEquals("--epochs: expected an integer >= 1, got '99999999999'",
        error("--epochs", "99999999999"));
    assertEquals("--validation-fraction: expected a number in [0, 1), got '1'",
        error("--validation-fraction", "1"));
    assertEquals("--batch-size: expected an integer >= 1 or full, got '0'",
        error("--batch-size", "0"));
    assertEquals("--shuffle: expected true or false, got 'yes'", error("--shuffle", "yes"));
    assertEquals("--data: expected a non-empty path, got ''", error("--data="));
    assertEquals("--seed: expected an integer, got '1.5'", error("--seed", "1.5"));
  }

  @Test
  void numbersMustBePlainFiniteDecimals() {
    for (String bad : new String[] {"NaN", "Infinity", "1e999", "1d", "0x1p3", " 1", ""}) {
      assertEquals("--lr: expected a number > 0, got '" + bad + "'", error("--lr", bad));
    }
  }

  @Test
  void badJobFileValuesNameTheKeyAndTheFile() {
    Path job = jobFile(dir, "data=d", "lr = abc");
    assertEquals("lr in " + job + ": expected a number > 0, got 'abc'",
        error("--config", job.toString()));
  }

  /** Issue 18, case 9: Java properties let the last of two equal keys win silently. */
  @Test
  void aKeyGivenTwiceInAJobFileIsNamed() {
    Path job = jobFile(dir, "data=d", "lr=0.1", "epochs=3", "lr = 0.2");
    assertEquals("key lr is given twice in " + job + " ('0.1' and '0.2')",
        error("--config", job.toString()));
  }

  @Test
  void missingRequiredOptions() {
    assertEquals("missing required option --data (give it on the command line or in the job "
        + "file)", error("--epochs", "2"));
    var specs = new java.util.ArrayList<>(TrainSpecs.SPECS);
    specs.add(OptionSpec.pathOption("model").required().describe("model file"));
    assertEquals("missing required options --data, --model (give them on the command line or in"
        + " the job file)",
        assertThrows(OptionException.class, () -> Options.parse(specs, new String[0]))
            .getMessage());
  }

  @Test
  void missingValueAfterAnOption() {
    assertEquals("missing value after --epochs (expected an integer >= 1)",
        error("--data", "d", "--epochs"));
    assertEquals("missing value after --lr (expected a number > 0)",
        error("--lr", "--epochs", "3"));
    assertEquals("missing value after --config (expected a non-empty path)", error("--config"));
  }

  @Test
  void unexpectedPositionalArguments() {
    assertEquals("unexpected argument 'extra' on the command line (options are given as --name "
        + "value or --name=value)", error("--data", "d", "extra"));
    assertEquals("unexpected argument '-e' on the command line (options are given as --name "
        + "value or --name=value)", error("-e", "3"));
    assertEquals("unexpected argument '--' on the command line (options are given as --name "
        + "value or --name=value)", error("--"));
  }

  @Test
  void repeatedOptionOnTheCommandLine() {
    assertEquals("option --epochs is given twice on the command line",
        error("--epochs", "1", "--epochs=2"));
  }

  @Test
  void jobFileProblems() throws Exception {
    Path missing = dir.resolve("nope.properties");
    assertEquals("job file " + missing + " does not exist", error("--config", missing.toString()));
    Path nested = jobFile(dir, "config=other.properties");
    assertEquals("key config in " + nested + ": a job file cannot name another job file; give "
        + "--config on the command line", error("--config", nested.toString()));
    Path badEscape = Files.writeString(dir.resolve("bad.properties"), "data=\\uZZZZ\n");
    assertEquals("cannot read job file " + badEscape
        + ": java.lang.IllegalArgumentException: Malformed \\uxxxx encoding.",
        error("--config", badEscape.toString()));
  }
}
