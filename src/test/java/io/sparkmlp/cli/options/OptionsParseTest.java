package io.sparkmlp.cli.options;

import static io.sparkmlp.cli.options.TrainSpecs.jobFile;
import static io.sparkmlp.cli.options.TrainSpecs.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsParseTest {
  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsGiven() {
    ParsedOptions o = parse("--data", "d.parquet");
    assertEquals("d.parquet", o.getString("data"));
    assertEquals(10, o.getInt("epochs"));
    assertEquals(0.01, o.getDouble("lr"));
    assertArrayEquals(new int[] {64}, o.getIntList("hidden"));
    assertEquals("relu", o.getChoice("activation"));
    assertTrue(o.getIntOrKeyword("batch-size").isKeyword());
    assertEquals(1234, o.getIntOrKeyword("batch-size").numberOr(1234));
    assertFalse(o.getBoolean("shuffle"));
    assertEquals(42L, o.getLong("seed"));
    assertFalse(o.has("epochs"));
    assertEquals(Source.DEFAULT, o.source("epochs"));
    assertTrue(o.has("data"));
    assertEquals(Source.COMMAND_LINE, o.source("data"));
    assertFalse(o.has("config"));
    assertFalse(o.has("name"));
  }

  @Test
  void spaceAndEqualsFormsAndCaseInsensitiveChoices() {
    ParsedOptions o = parse("--data=d", "--epochs", "5", "--lr=0.5", "--hidden", "256, 128",
        "--activation", "GELU", "--batch-size=32", "--seed", "-7", "--name=a=b");
    assertEquals(5, o.getInt("epochs"));
    assertEquals(0.5, o.getDouble("lr"));
    assertArrayEquals(new int[] {256, 128}, o.getIntList("hidden"));
    assertEquals("gelu", o.getChoice("activation"), "the declared spelling, not the typed one");
    assertEquals(IntOrKeyword.of(32), o.getIntOrKeyword("batch-size"));
    assertEquals(32, o.getIntOrKeyword("batch-size").number());
    assertEquals(-7L, o.getLong("seed"), "a negative number is a value, not an option");
    assertEquals("a=b", o.getString("name"), "only the first '=' separates name and value");
    assertEquals("", parse("--data", "d", "--name", "").getString("name"),
        "an empty value is still a value");
  }

  @Test
  void keywordMatchesAnyCaseAndIsReportedAsDeclared() {
    IntOrKeyword full = parse("--data", "d", "--batch-size", "FULL").getIntOrKeyword("batch-size");
    assertTrue(full.isKeyword());
    assertEquals("full", full.toString());
    assertThrows(IllegalStateException.class, full::number);
  }

  @Test
  void bareBooleanFlagMeansTrue() {
    assertTrue(parse("--data", "d", "--shuffle").getBoolean("shuffle"), "flag at the end");
    ParsedOptions o = parse("--shuffle", "--data", "d");
    assertTrue(o.getBoolean("shuffle"), "flag before another option");
    assertEquals("d", o.getString("data"));
    assertFalse(parse("--data", "d", "--shuffle", "false").getBoolean("shuffle"));
    assertTrue(parse("--data", "d", "--shuffle=TRUE").getBoolean("shuffle"));
  }

  @Test
  void emptyListWhereAllowed() {
    assertArrayEquals(new int[0], parse("--data", "d", "--hidden=").getIntList("hidden"));
  }

  @Test
  void commandLineOverridesJobFileWhichOverridesDefaults() {
    Path job = jobFile(dir, "# a job", "data = /data/mnist", "epochs = 3  ", "lr=0.2",
        "hidden=", "shuffle=true");
    ParsedOptions o = parse("--epochs", "7", "--config", job.toString(), "--hidden", "32");
    assertEquals(7, o.getInt("epochs"));
    assertEquals(Source.COMMAND_LINE, o.source("epochs"));
    assertArrayEquals(new int[] {32}, o.getIntList("hidden"));
    assertEquals(Source.COMMAND_LINE, o.source("hidden"));
    assertEquals(0.2, o.getDouble("lr"));
    assertEquals(Source.CONFIG, o.source("lr"));
    assertEquals("/data/mnist", o.getString("data"), "blanks around '=' are not part of values");
    assertTrue(o.getBoolean("shuffle"));
    assertTrue(o.has("lr"));
    assertEquals(Source.DEFAULT, o.source("activation"));
    assertEquals(job.toString(), o.getString(Options.CONFIG));
    assertEquals(Source.COMMAND_LINE, o.source(Options.CONFIG));
  }

  @Test
  void effectiveMapIsInDeclarationOrderWithCanonicalValues() {
    Path job = jobFile(dir, "lr=2e-3", "activation=Tanh");
    ParsedOptions o = parse("--config=" + job, "--data", "d", "--hidden", " 8 ,4", "--shuffle");
    Map<String, String> effective = o.effective();
    assertEquals(List.of("data", "epochs", "lr", "hidden", "activation", "batch-size",
        "validation-fraction", "shuffle", "seed"), List.copyOf(effective.keySet()),
        "config and the unset optional name/out are left out");
    assertEquals(List.of("d", "10", "0.002", "8,4", "tanh", "full", "0.1", "true", "42"),
        List.copyOf(effective.values()));
    assertEquals(List.of(Source.COMMAND_LINE, Source.DEFAULT, Source.CONFIG, Source.COMMAND_LINE,
        Source.CONFIG, Source.DEFAULT, Source.DEFAULT, Source.COMMAND_LINE, Source.DEFAULT),
        effective.keySet().stream().map(o::source).toList());
  }

  /** The effective job file: what changes the result always, the rest only when given. */
  @Test
  void effectiveMapRecordsWhatWasGivenOrChangesTheResult() {
    List<OptionSpec> specs = List.of(
        OptionSpec.intOption("epochs").defaultValue(10).describe("changes the result"),
        OptionSpec.intOption("log-every").defaultValue(0).recordedWhenGiven().describe("logging"),
        OptionSpec.pathOption("out").recordedWhenGiven().describe("where"),
        OptionSpec.booleanOption("resume").neverRecorded().describe("an action"));
    assertEquals(Map.of("epochs", "10"), Options.parse(specs, new String[0]).effective());
    Map<String, String> given = Options.parse(specs,
        new String[] {"--log-every", "0", "--out", "o", "--resume"}).effective();
    assertEquals(List.of("epochs", "log-every", "out"), List.copyOf(given.keySet()));
    assertEquals(Recording.NEVER, specs.get(3).recording());
  }

  @Test
  void effectiveConfigurationReadsBackUnchanged() throws IOException {
    ParsedOptions first = parse("--data", "d", "--lr", "1e-4", "--hidden", "", "--seed", "-1",
        "--batch-size", "100", "--name", "run #1: a=b");
    Properties p = new Properties();
    p.putAll(first.effective());
    Path job = dir.resolve("effective.properties");
    try (Writer w = Files.newBufferedWriter(job)) {
      p.store(w, null);
    }
    ParsedOptions second = parse("--config", job.toString());
    assertEquals(first.effective(), second.effective());
    assertEquals(1e-4, second.getDouble("lr"));
    assertEquals("run #1: a=b", second.getString("name"));
  }

  @Test
  void gettersRejectProgrammingErrors() {
    ParsedOptions o = parse("--data", "d");
    IllegalArgumentException wrongKind =
        assertThrows(IllegalArgumentException.class, () -> o.getInt("lr"));
    assertEquals("option --lr takes a number > 0, which getInt does not read",
        wrongKind.getMessage());
    assertEquals("no option named --nope was declared",
        assertThrows(IllegalArgumentException.class, () -> o.has("nope")).getMessage());
    assertEquals("option --name has no value (optional, no default, not given); check has() "
        + "first", assertThrows(IllegalStateException.class, () -> o.getString("name"))
        .getMessage());
    assertThrows(IllegalStateException.class, () -> o.source("out"));
  }

  @Test
  void intListCopiesAreIndependent() {
    ParsedOptions o = parse("--data", "d", "--hidden", "3,2");
    o.getIntList("hidden")[0] = 99;
    assertArrayEquals(new int[] {3, 2}, o.getIntList("hidden"));
  }

  @Test
  void helpIsDetectedAnywhere() {
    assertTrue(Options.isHelpRequested(new String[] {"--epochs", "3", "--help"}));
    assertTrue(Options.isHelpRequested(new String[] {"-h"}));
    assertFalse(Options.isHelpRequested(new String[] {"--helpful", "x"}));
  }
}
