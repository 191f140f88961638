package io.sparkmlp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.Options;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.cli.options.Recording;
import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.train.Setting;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** train's options and job-file keys as the settings table derives them. */
class SettingOptionsTest {
  private static final List<OptionSpec> TRAIN = TrainOptions.specs(true);

  private static Map<String, OptionSpec> byName(List<OptionSpec> specs) {
    Map<String, OptionSpec> m = new HashMap<>();
    specs.forEach(s -> m.put(s.name(), s));
    return m;
  }

  private static ParsedOptions parse(String... args) {
    List<String> all = new ArrayList<>(List.of("--data", "d.csv", "--out", "o"));
    all.addAll(List.of(args));
    return Options.parse(TRAIN, all.toArray(String[]::new));
  }

  @Test
  void everySettingIsAnOptionWithItsDocDefaultAndRecording() {
    Map<String, OptionSpec> train = byName(TRAIN);
    Map<String, OptionSpec> predict = byName(PredictCommand.specs());
    for (Setting<?> s : Settings.ALL) {
      OptionSpec o = train.get(s.name());
      assertEquals(s.doc(), o.description(), s.name());
      assertEquals(defaultText(s), o.defaultText().orElse(null), s.name());
      assertEquals(s.changesResult() ? Recording.ALWAYS : Recording.WHEN_GIVEN, o.recording(),
          s.name());
      assertFalse(o.isRequired(), s.name());
    }
    assertEquals(Recording.WHEN_GIVEN, train.get("step-engine").recording());
    assertEquals(train.get("partitions").toString(), predict.get("partitions").toString(),
        "predict and evaluate stack their data with the same setting");
    assertEquals(train.get("input-layout").description(),
        predict.get("input-layout").description());
  }

  private static <T> String defaultText(Setting<T> s) {
    return s.defaultValue() == null ? null : s.format(s.defaultValue());
  }

  @Test
  void theHelpListsTheSettingsInTableOrderAfterTheDataOptions() {
    List<String> names = new ArrayList<>();
    TRAIN.forEach(s -> names.add(s.name()));
    assertEquals(List.of("data", "format", "label-col", "num-features", "partitions",
        "input-layout", "on-invalid-row", "task", "loss", "validation-data",
        "validation-fraction", "hidden", "activation", "init"), names.subList(0, 14));
    int first = names.indexOf("validation-fraction");
    List<String> rest = new ArrayList<>();
    Settings.ALL.forEach(s -> rest.add(s.name()));
    rest.removeAll(List.of("partitions", "input-layout"));
    assertEquals(rest, names.subList(first, first + rest.size()));
    assertEquals("out", names.get(first + rest.size()));
    String help = Options.usage("train", TRAIN);
    assertTrue(help.contains("  --momentum X                 SGD momentum (a number >= 0; default: "
        + "0.0)\n"), help);
    assertTrue(help.contains("  --batch-size N|full          rows per optimizer step (global, over "
        + "all partitions), or full (an integer >= 1 or full; default: 128)\n"), help);
  }

  @Test
  void parsedOptionsAreTheSettingsValues() {
    TrainConfig defaults = TrainOptions.trainConfig(parse());
    assertEquals(new TrainConfig().describe(), defaults.describe());
    assertEquals(2, TrainOptions.loadOptions(parse()).partitions());

    ParsedOptions o = parse("--dtype", "FLOAT64", "--seed", "-3", "--partitions", "5",
        "--batch-size", "full", "--hidden=", "--device", "cpu", "--input-layout", "sparse",
        "--validation-fraction", "0.25", "--activation", "Leaky_ReLU", "--standardize");
    TrainConfig c = TrainOptions.trainConfig(o);
    LoadOptions load = TrainOptions.loadOptions(o);
    assertEquals(Dtype.FLOAT64, c.dtype());
    assertEquals(Dtype.FLOAT64, load.dtype(), "one dtype for the trainer and the loader");
    assertEquals(-3L, c.seed());
    assertEquals(-3L, load.seed());
    assertEquals(5, load.partitions());
    assertEquals(TrainConfig.FULL_BATCH, c.batchSize());
    assertArrayEquals(new int[0], c.hidden());
    assertEquals(Device.CPU, c.device());
    assertEquals(InputLayout.SPARSE, load.layout());
    assertEquals(0.25, load.validationFraction());
    assertTrue(load.standardize());
    assertEquals("leaky_relu", c.describe().get("activation"));
    assertNull(SettingOptions.value(o, Settings.INIT_WEIGHTS));
    assertEquals("w.safetensors",
        SettingOptions.value(parse("--init-weights", "w.safetensors"), Settings.INIT_WEIGHTS));
    assertEquals(0.0, TrainOptions.loadOptions(parse("--validation-fraction", "0.3",
        "--validation-data", "v.csv")).validationFraction(), "separate validation data");
  }

  @Test
  void badValuesAreNamedAsBefore() {
    assertEquals("--momentum: expected a number >= 0, got '-1'",
        assertThrows(OptionException.class, () -> parse("--momentum", "-1")).getMessage());
    assertEquals("--beta1: expected a number in [0, 1), got '1'",
        assertThrows(OptionException.class, () -> parse("--beta1", "1")).getMessage());
    assertEquals("--lr-gamma: expected a number in (0, 1], got '0'",
        assertThrows(OptionException.class, () -> parse("--lr-gamma", "0")).getMessage());
    assertEquals("--dtype: expected one of float32, float64, got 'half'",
        assertThrows(OptionException.class, () -> parse("--dtype", "half")).getMessage());
  }

  @Test
  void theEffectiveJobFileRecordsWhatChangesTheResult() {
    Map<String, String> effective = parse("--step-engine", "stage", "--lr", "0.5").effective();
    assertEquals("0.5", effective.get("lr"));
    assertEquals("stage", effective.get("step-engine"), "given, so recorded");
    assertEquals("float32", effective.get("dtype"), "a default that changes the result");
    assertFalse(parse().effective().containsKey("step-engine"), "a default that does not");
    assertFalse(parse().effective().containsKey("init-weights"), "optional, not given");
  }
}
