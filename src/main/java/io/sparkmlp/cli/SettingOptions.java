package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.booleanOption;
import static io.sparkmlp.cli.options.OptionSpec.choiceOption;
import static io.sparkmlp.cli.options.OptionSpec.doubleOption;
import static io.sparkmlp.cli.options.OptionSpec.intListOption;
import static io.sparkmlp.cli.options.OptionSpec.intOption;
import static io.sparkmlp.cli.options.OptionSpec.intOrKeywordOption;
import static io.sparkmlp.cli.options.OptionSpec.longOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;

import io.sparkmlp.cli.options.DoubleOptionBuilder;
import io.sparkmlp.cli.options.IntOrKeyword;
import io.sparkmlp.cli.options.OptionBuilder;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.nn.Named;
import io.sparkmlp.train.Setting;
import io.sparkmlp.train.SettingType;
import io.sparkmlp.train.SettingValues;
import io.sparkmlp.train.Settings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command-line side of {@link Settings}: each setting as an option (and job-file key) of the
 * same name, with its kind, range or choices, default, description and how the effective job
 * file records it, and the parsed options as the settings' values. Nothing here is specific to
 * one setting.
 */
final class SettingOptions {
  private SettingOptions() {}

  /** The option of {@code setting}. */
  static OptionSpec spec(Setting<?> setting) {
    String name = setting.name();
    OptionBuilder b;
    if (setting.type() instanceof SettingType.Whole t) {
      b = intOption(name).min(t.min()).defaultValue((Integer) setting.defaultValue());
    } else if (setting.type() instanceof SettingType.AnyLong) {
      b = longOption(name).defaultValue((Long) setting.defaultValue());
    } else if (setting.type() instanceof SettingType.Real t) {
      b = range(doubleOption(name), t).defaultValue((Double) setting.defaultValue());
    } else if (setting.type() instanceof SettingType.Flag) {
      b = booleanOption(name).defaultValue((Boolean) setting.defaultValue());
    } else if (setting.type() instanceof SettingType.OneOf<?> t) {
      b = choiceOption(name, names(t)).defaultValue(((Named) setting.defaultValue()).optionName());
    } else if (setting.type() instanceof SettingType.Sizes t) {
      b = intListOption(name).min(t.min()).allowEmpty()
          .defaultValue((int[]) setting.defaultValue());
    } else if (setting.type() instanceof SettingType.CountOrAll t) {
      int d = (Integer) setting.defaultValue();
      b = d == SettingType.CountOrAll.ALL
          ? intOrKeywordOption(name, t.keyword()).min(t.min()).defaultKeyword()
          : intOrKeywordOption(name, t.keyword()).min(t.min()).defaultValue(d);
    } else {
      b = pathOption(name);
    }
    if (!setting.changesResult()) {
      b.recordedWhenGiven();
    }
    return b.describe(setting.doc());
  }

  /** The options of the settings not yet among {@code declared}, in table order. */
  static List<OptionSpec> specsBesides(List<OptionSpec> declared) {
    Set<String> names = new HashSet<>();
    declared.forEach(s -> names.add(s.name()));
    List<OptionSpec> specs = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      if (!names.contains(s.name())) {
        specs.add(spec(s));
      }
    }
    return specs;
  }

  /** The settings' values in parsed options that declare them all. */
  static SettingValues values(ParsedOptions o) {
    return new SettingValues() {
      @Override
      public <T> T get(Setting<T> setting) {
        return value(o, setting);
      }
    };
  }

  /** The value of {@code setting} in {@code o}; null for an optional one not given. */
  @SuppressWarnings("unchecked")
  static <T> T value(ParsedOptions o, Setting<T> setting) {
    String name = setting.name();
    SettingType<T> type = setting.type();
    Object v;
    if (type instanceof SettingType.Whole) {
      v = o.getInt(name);
    } else if (type instanceof SettingType.AnyLong) {
      v = o.getLong(name);
    } else if (type instanceof SettingType.Real) {
      v = o.getDouble(name);
    } else if (type instanceof SettingType.Flag) {
      v = o.getBoolean(name);
    } else if (type instanceof SettingType.OneOf<?> t) {
      v = t.parse(setting.label(), o.getChoice(name));
    } else if (type instanceof SettingType.Sizes) {
      v = o.getIntList(name);
    } else if (type instanceof SettingType.CountOrAll) {
      IntOrKeyword n = o.getIntOrKeyword(name);
      v = n.numberOr(SettingType.CountOrAll.ALL);
    } else {
      v = o.has(name) ? o.getString(name) : null;
    }
    return (T) v;
  }

  private static DoubleOptionBuilder range(DoubleOptionBuilder b, SettingType.Real r) {
    if (Double.isFinite(r.low())) {
      b = r.lowClosed() ? b.atLeast(r.low()) : b.greaterThan(r.low());
    }
    if (Double.isFinite(r.high())) {
      b = r.highClosed() ? b.atMost(r.high()) : b.lessThan(r.high());
    }
    return b;
  }

  private static String[] names(SettingType.OneOf<?> t) {
    return Named.names(t.type()).toArray(String[]::new);
  }
}
