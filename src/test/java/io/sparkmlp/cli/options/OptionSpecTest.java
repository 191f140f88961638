package io.sparkmlp.cli.options;

import static io.sparkmlp.cli.options.OptionSpec.choiceOption;
import static io.sparkmlp.cli.options.OptionSpec.doubleOption;
import static io.sparkmlp.cli.options.OptionSpec.intListOption;
import static io.sparkmlp.cli.options.OptionSpec.intOption;
import static io.sparkmlp.cli.options.OptionSpec.intOrKeywordOption;
import static io.sparkmlp.cli.options.OptionSpec.longOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Declarations: what they accept, how they are checked, and the usage text they render. */
class OptionSpecTest {
  private static String declarationError(Executable declaration) {
    return assertThrows(IllegalArgumentException.class, declaration).getMessage();
  }

  @Test
  void specExposesItsDeclaration() {
    OptionSpec epochs = intOption("epochs").min(1).defaultValue(10).describe("passes");
    assertEquals("epochs", epochs.name());
    assertEquals("passes", epochs.description());
    assertEquals(Optional.of("10"), epochs.defaultText());
    assertFalse(epochs.isRequired());
    assertEquals("--epochs N", epochs.toString());
    assertEquals(Optional.of("1.0E-4"),
        doubleOption("lr").defaultValue(1e-4).describe("rate").defaultText());
  }

  @Test
  void badDeclarationsAreRejectedWithTheOffendingValue() {
    assertEquals("option name 'batch_size' is not kebab-case (lower-case words joined by '-')",
        declarationError(() -> intOption("batch_size").describe("rows")));
    assertEquals("option epochs: the default '0' is not an integer >= 1",
        declarationError(() -> intOption("epochs").min(1).defaultValue(0).describe("passes")));
    assertEquals("option lr: the default '0.0' is not a number > 0",
        declarationError(() -> doubleOption("lr").greaterThan(0).defaultValue(0).describe("r")));
    assertEquals("option activation: the default 'swish' is not one of relu, tanh",
        declarationError(() -> choiceOption("activation", "relu", "tanh").defaultValue("swish")
            .describe("σ")));
    assertEquals("option hidden: the default '' is not a comma-separated list of integers >= 1",
        declarationError(() -> intListOption("hidden").min(1).defaultValue().describe("sizes")));
    assertEquals("option data: a required option cannot have a default ('x')",
        declarationError(() -> pathOption("data").defaultValue("x").required().describe("d")));
    assertEquals("option data: the description must be one non-blank line, got 'a\nb'",
        declarationError(() -> pathOption("data").describe("a\nb")));
    assertEquals("integer bounds: min 5 > max 4",
        declarationError(() -> intOption("k").min(5).max(4).describe("k")));
    assertEquals("number bounds: low 1.0 must be < high 0.0",
        declarationError(() -> doubleOption("f").atLeast(1).atMost(0).describe("f")));
    assertEquals("choice values must be non-blank and distinct ignoring case, got [relu, ReLU]",
        declarationError(() -> choiceOption("a", "relu", "ReLU")));
    assertEquals("keyword must be a non-blank word, got '12'",
        declarationError(() -> intOrKeywordOption("batch-size", "12").describe("rows")));
  }

  @Test
  void parseRejectsDuplicateOrReservedDeclarations() {
    OptionSpec a = intOption("k").describe("k");
    assertEquals("option --k is declared twice",
        declarationError(() -> Options.parse(List.of(a, a), new String[0])));
    assertEquals("option --config is implicit and must not be declared",
        declarationError(() -> Options.parse(List.of(pathOption("config").describe("c")),
            new String[0])));
  }

  @Test
  void boundsOfEveryShape() {
    List<OptionSpec> specs = List.of(
        intOption("a").max(5).describe("a"),
        intOption("b").min(1).max(3).describe("b"),
        longOption("c").min(0).describe("c"),
        doubleOption("d").greaterThan(0).atMost(0.5).describe("d"),
        doubleOption("e").lessThan(1e-8).describe("e"),
        intListOption("f").min(1).describe("f"));
    String[][] cases = {
        {"--a=6", "--a: expected an integer <= 5, got '6'"},
        {"--b=0", "--b: expected an integer in [1, 3], got '0'"},
        {"--c=-1", "--c: expected an integer >= 0, got '-1'"},
        {"--d=0", "--d: expected a number in (0, 0.5], got '0'"},
        {"--e=1", "--e: expected a number < 1.0E-8, got '1'"},
        {"--f=256,x", "--f: expected a comma-separated list of integers >= 1, got '256,x'"},
        {"--f=", "--f: expected a comma-separated list of integers >= 1, got ''"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], assertThrows(OptionException.class,
          () -> Options.parse(specs, new String[] {c[0]})).getMessage());
    }
    ParsedOptions ok = Options.parse(specs, new String[] {"--a=-5", "--b=3", "--c=0", "--d=0.5",
        "--e=-1e300", "--f", "+7"});
    assertEquals(-5, ok.getInt("a"));
    assertEquals(3, ok.getInt("b"));
    assertEquals(0L, ok.getLong("c"));
    assertEquals(0.5, ok.getDouble("d"));
    assertEquals(-1e300, ok.getDouble("e"));
    assertArrayEquals(new int[] {7}, ok.getIntList("f"));
  }

  @Test
  void usageListsEveryOptionWithKindDefaultAndDescription() {
    String expected = String.join("\n",
        "Usage: submit.sh [spark options] train [--name value | --name=value ...]",
        "",
        "Options:",
        "  --config PATH            job file (.properties, keys = option names without --); the "
            + "command line overrides it",
        "  --data PATH              training data (required)",
        "  --epochs N               passes over the training data (an integer >= 1; default: 10)",
        "  --lr X                   learning rate (a number > 0; default: 0.01)",
        "  --hidden N,N,...         hidden layer sizes (a possibly empty comma-separated list of "
            + "integers >= 1; default: 64)",
        "  --activation NAME        activation of the hidden layers (one of relu, leaky_relu, "
            + "sigmoid, tanh, gelu, identity; default: relu)",
        "  --batch-size N|full      rows per step, or the whole data set (an integer >= 1 or "
            + "full; default: full)",
        "  --validation-fraction X  share of rows held out (a number in [0, 1); default: 0.1)",
        "  --shuffle [true|false]   shuffle rows every epoch (true or false; default: false)",
        "  --seed N                 random seed (an integer; default: 42)",
        "  --name TEXT              run name",
        "  --out PATH               output directory",
        "");
    assertEquals(expected, Options.usage("train", TrainSpecs.SPECS).replace("\r\n", "\n"));
  }

  @Test
  void usageShowsAnEmptyDefault() {
    String usage = Options.usage("predict",
        List.of(intListOption("hidden").allowEmpty().defaultValue().describe("sizes")));
    assertEquals("  --hidden N,N,...  sizes (a possibly empty comma-separated list of integers; "
        + "default: empty)", usage.lines().toList().get(4));
  }
}
