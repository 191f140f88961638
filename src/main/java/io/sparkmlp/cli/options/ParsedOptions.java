package io.sparkmlp.cli.options;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one command after parsing: every declared option's typed value (command line
 * over job file over default) and where it came from.
 *
 * <p>Each getter serves one kind of option; asking for an undeclared name, a getter of another
 * kind, or an optional option that has no value (check {@link #has} first) is a programming error
 * and throws {@link IllegalArgumentException} or {@link IllegalStateException}.
 */
public final class ParsedOptions {
  private final List<OptionSpec> specs;
  private final Map<String, OptionSpec> byName = new LinkedHashMap<>();
  private final Map<String, Object> values;
  private final Map<String, Source> sources;

  /** Takes ownership of the maps; {@code specs} includes {@code config}. */
  ParsedOptions(List<OptionSpec> specs, Map<String, Object> values, Map<String, Source> sources) {
    this.specs = List.copyOf(specs);
    for (OptionSpec s : specs) {
      byName.put(s.name(), s);
    }
    this.values = values;
    this.sources = sources;
  }

  /** Whether the job file or the command line gave the option (a default does not count). */
  public boolean has(String name) {
    spec(name);
    Source s = sources.get(name);
    return s == Source.CONFIG || s == Source.COMMAND_LINE;
  }

  /** Where the option's value came from. */
  public Source source(String name) {
    spec(name);
    Source s = sources.get(name);
    if (s == null) {
      throw noValue(name);
    }
    return s;
  }

  public int getInt(String name) {
    return (Integer) value(name, IntKind.class, "getInt");
  }

  public long getLong(String name) {
    return (Long) value(name, LongKind.class, "getLong");
  }

  public double getDouble(String name) {
    return (Double) value(name, DoubleKind.class, "getDouble");
  }

  public boolean getBoolean(String name) {
    return (Boolean) value(name, BooleanKind.class, "getBoolean");
  }

  /** A string or path option's value. */
  public String getString(String name) {
    return (String) value(name, TextKind.class, "getString");
  }

  /** A choice option's value, spelled as declared whatever case the user typed. */
  public String getChoice(String name) {
    return (String) value(name, ChoiceKind.class, "getChoice");
  }

  /** An int-list option's value (a fresh copy). */
  public int[] getIntList(String name) {
    return ((int[]) value(name, IntListKind.class, "getIntList")).clone();
  }

  public IntOrKeyword getIntOrKeyword(String name) {
    return (IntOrKeyword) value(name, IntOrKeywordKind.class, "getIntOrKeyword");
  }

  /**
   * The effective configuration, in declaration order, as canonical text: a job file that
   * re-runs the run. It holds every option that was given (job file or command line) and every
   * option that changes the result ({@link Recording#ALWAYS}) with its default; never
   * {@code config} or {@link Recording#NEVER} options, and optional options without a value
   * are left out, so the map written as a job file reads back to the same values.
   */
  public Map<String, String> effective() {
    Map<String, String> out = new LinkedHashMap<>();
    for (OptionSpec s : specs) {
      Object v = values.get(s.name());
      boolean recorded = s.recording() == Recording.ALWAYS
          || s.recording() == Recording.WHEN_GIVEN && has(s.name());
      if (v != null && recorded && !s.name().equals(Options.CONFIG)) {
        out.put(s.name(), s.kind().format(v));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private OptionSpec spec(String name) {
    OptionSpec s = byName.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no option named --" + name + " was declared");
    }
    return s;
  }

  private Object value(String name, Class<? extends ValueKind> kind, String getter) {
    OptionSpec s = spec(name);
    if (!kind.isInstance(s.kind())) {
      throw new IllegalArgumentException("option --" + name + " takes " + s.kind().expected()
          + ", which " + getter + " does not read");
    }
    Object v = values.get(name);
    if (v == null) {
      throw noValue(name);
    }
    return v;
  }

  private static IllegalStateException noValue(String name) {
    return new IllegalStateException(
        "option --" + name + " has no value (optional, no default, not given); check has() first");
  }
}
