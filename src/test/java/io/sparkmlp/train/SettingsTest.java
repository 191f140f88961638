package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.nn.Dtype;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The settings table and the trainer configuration derived from it. */
class SettingsTest {

  @Test
  void everyEntryIsInTheTableOnceWithUniqueNames() throws IllegalAccessException {
    List<Setting<?>> declared = new ArrayList<>();
    for (Field f : Settings.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
        declared.add((Setting<?>) f.get(null));
      }
    }
    assertEquals(declared.size(), Settings.ALL.size(), "every constant is a table entry");
    assertTrue(Settings.ALL.containsAll(declared));
    Set<String> names = new HashSet<>();
    Set<String> params = new HashSet<>();
    for (Setting<?> s : Settings.ALL) {
      assertTrue(names.add(s.name()), "option name used twice: " + s.name());
      assertTrue(params.add(s.paramName()), "Param name used twice: " + s.paramName());
    }
    assertEquals("numPartitions", Settings.PARTITIONS.paramName());
    assertEquals("hiddenLayers", Settings.HIDDEN.paramName());
    assertEquals("maxIter", Settings.EPOCHS.paramName());
    assertEquals("weightInit", Settings.WEIGHT_INIT.paramName());
    assertEquals("earlyStoppingPatience", Settings.EARLY_STOPPING_PATIENCE.paramName());
  }

  @Test
  void aMalformedEntryFailsWhenTheTableIsBuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Setting.whole("epochs", 1, 0, "passes over the data"));
    assertEquals("epochs must be >= 1, got 0", e.getMessage(), "a default outside the range");
    e = assertThrows(IllegalArgumentException.class,
        () -> Setting.flag("Shuffle", true, "reshuffle"));
    assertEquals("setting name 'Shuffle' is not kebab-case", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Setting.flag("shuffle", true, "two\nlines"));
    assertEquals("setting shuffle: the doc must be one line", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Setting.flag("shuffle", true, "x").withParam("max_iter"));
    assertEquals("setting shuffle: Param name 'max_iter' is not camelCase", e.getMessage());
  }

  @Test
  void aFreshConfigurationHoldsEveryDefault() {
    TrainConfig c = new TrainConfig();
    for (Setting<?> s : Settings.TRAINER) {
      assertEquals(text(s, Setting::defaultValue), c.describe().get(s.name()), s.name());
    }
    assertEquals(List.of("hidden", "activation", "init", "bias-init", "optimizer", "lr",
        "momentum", "dampening", "nesterov", "weight-decay", "beta1", "beta2", "eps",
        "grad-clip-norm",
        "lr-schedule", "warmup-steps", "lr-step-epochs", "lr-gamma", "batch-size", "epochs",
        "shuffle", "dtype", "seed", "early-stopping-patience", "step-engine", "device"),
        new ArrayList<>(c.describe().keySet()), "the trainer's settings, in table order");
    assertEquals("128", c.describe().get("hidden"));
    assertEquals("0.001", c.describe().get("lr"));
    assertEquals("1.0E-8", c.describe().get("eps"));
    assertEquals("adam", c.describe().get("optimizer"));
    assertEquals("float32", c.describe().get("dtype"));
    assertEquals("42", c.describe().get("seed"));
    assertEquals("full", new TrainConfig().batchSize(TrainConfig.FULL_BATCH).describe()
        .get("batch-size"));
  }

  @Test
  void setChecksTheValueAgainstItsSettingAndNamesIt() {
    TrainConfig c = new TrainConfig();
    assertEquals("learning rate must be > 0, got 0.0", message(() -> c.lr(0)));
    assertEquals("learning rate must be > 0, got Infinity",
        message(() -> c.set(Settings.LR, Double.POSITIVE_INFINITY)));
    assertEquals("momentum must be >= 0, got -0.5", message(() -> c.momentum(-0.5)));
    assertEquals("momentum must be >= 0, got NaN", message(() -> c.momentum(Double.NaN)));
    assertEquals("beta2 must be in [0, 1), got 1.0", message(() -> c.beta2(1)));
    assertEquals("lr gamma must be in (0, 1], got 0.0", message(() -> c.lrGamma(0)));
    assertEquals("hidden sizes must be >= 1, got [8, 0]", message(() -> c.hidden(8, 0)));
    assertEquals("batch size must be >= 1 (or full), got -1", message(() -> c.batchSize(-1)));
    assertEquals("epochs must be >= 1, got 0", message(() -> c.epochs(0)));
    assertEquals("step engine must be job, stage or auto, got null",
        message(() -> c.stepEngine(null)));
    assertEquals("device must be auto, cpu or gpu, got null", message(() -> c.device(null)));
    assertEquals("--partitions is not a trainer setting",
        message(() -> c.set(Settings.PARTITIONS, 3)));
    assertEquals("--init-weights is not a trainer setting",
        message(() -> c.get(Settings.INIT_WEIGHTS)));
    assertEquals("0.001", c.describe().get("lr"), "a refused value leaves the old one");
  }

  @Test
  void valuesAreCopiedInAndOut() {
    int[] hidden = {16, 8};
    TrainConfig c = new TrainConfig().hidden(hidden);
    hidden[0] = 99;
    c.hidden()[1] = 99;
    assertArrayEquals(new int[] {16, 8}, c.hidden());
    TrainConfig d = c.copy().lr(0.5).optimizer(TrainConfig.OptimizerKind.SGD);
    assertEquals(0.001, c.lr());
    assertEquals(0.5, d.lr());
    assertSame(TrainConfig.OptimizerKind.ADAM, c.optimizer());
  }

  @Test
  void trainerAndLoaderTakeTheirValuesFromOneSource() {
    Map<Setting<?>, Object> given = Map.of(Settings.DTYPE, Dtype.FLOAT64, Settings.SEED, 7L,
        Settings.PARTITIONS, 3, Settings.LR, 0.25, Settings.INPUT_LAYOUT, InputLayout.SPARSE,
        Settings.HIDDEN, new int[] {5});
    SettingValues values = new SettingValues() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get(Setting<T> s) {
        return given.containsKey(s) ? (T) given.get(s) : s.defaultValue();
      }
    };
    TrainConfig config = TrainConfig.from(values);
    LoadOptions load = Settings.loadOptions(values);
    assertEquals(Dtype.FLOAT64, config.dtype());
    assertEquals(Dtype.FLOAT64, load.dtype());
    assertEquals(7L, config.seed());
    assertEquals(7L, load.seed());
    assertEquals(3, load.partitions());
    assertEquals(InputLayout.SPARSE, load.layout());
    assertEquals(0.25, config.lr());
    assertArrayEquals(new int[] {5}, config.hidden());
    assertEquals(0.0, load.validationFraction());
    assertEquals(2, Settings.PARTITIONS.defaultValue(), "the one partitions default");
  }

  @Test
  void fromChecksEveryValueItIsGiven() {
    SettingValues bad = new SettingValues() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get(Setting<T> s) {
        return s == Settings.WARMUP_STEPS ? (T) Integer.valueOf(-3) : s.defaultValue();
      }
    };
    assertEquals("warmup steps must be >= 0, got -3", message(() -> TrainConfig.from(bad)));
  }

  private static <T> String text(Setting<T> s, Function<Setting<T>, T> value) {
    return s.format(value.apply(s));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
