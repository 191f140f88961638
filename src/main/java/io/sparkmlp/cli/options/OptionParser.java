package io.sparkmlp.cli.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Parses one command's arguments in four steps, so that later sources override earlier ones and
 * syntax mistakes surface before any file is read:
 *
 * <ol>
 *   <li>split the command line into {@code --name value} / {@code --name=value} pairs (names and
 *       syntax checked, values not yet);
 *   <li>apply the defaults;
 *   <li>if {@code --config FILE} was given, read the job file (UTF-8 {@link Properties}, keys =
 *       option names, each at most once, values stripped of surrounding blanks) and apply it;
 *   <li>apply the command-line values, then check that required options have values.
 * </ol>
 *
 * <p>A value starting with {@code --} must use the {@code --name=value} form; negative numbers
 * ({@code --x -1}) need no special form. An instance parses once: it accumulates the values.
 */
final class OptionParser {
  private static final String ON_COMMAND_LINE = "on the command line";

  private final Map<String, OptionSpec> specs;
  private final Map<String, Object> values = new HashMap<>();
  private final Map<String, Source> sources = new HashMap<>();

  /** {@code specs} must already include {@code config}, with unique names. */
  OptionParser(Map<String, OptionSpec> specs) {
    this.specs = specs;
  }

  ParsedOptions parse(String[] args) {
    Map<String, String> commandLine = split(args);
    for (OptionSpec s : specs.values()) {
      if (s.defaultValue() != null) {
        set(s, s.defaultValue(), Source.DEFAULT);
      }
    }
    String config = commandLine.remove(Options.CONFIG);
    if (config != null) {
      apply(specs.get(Options.CONFIG), config, Source.COMMAND_LINE, null);
      applyJobFile((String) values.get(Options.CONFIG));
    }
    commandLine.forEach((name, text) -> apply(specs.get(name), text, Source.COMMAND_LINE, null));
    checkRequired();
    return new ParsedOptions(new ArrayList<>(specs.values()), values, sources);
  }

  /** The command line as name → text, in order; a bare boolean flag gets {@code "true"}. */
  private Map<String, String> split(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new OptionException("unexpected argument '" + arg + "' " + ON_COMMAND_LINE
            + " (options are given as --name value or --name=value)");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      OptionSpec spec = specs.get(name);
      if (spec == null) {
        throw unknown("option --" + name + " " + ON_COMMAND_LINE, name, "--");
      }
      String text;
      if (eq >= 0) {
        text = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        text = args[++i];
      } else if (spec.kind().isFlag()) {
        text = "true";
      } else {
        throw new OptionException("missing value after --" + name + " (expected "
            + spec.kind().expected() + ")");
      }
      if (given.put(name, text) != null) {
        throw new OptionException("option --" + name + " is given twice " + ON_COMMAND_LINE);
      }
    }
    return given;
  }

  private void applyJobFile(String file) {
    UniqueKeys job = new UniqueKeys();
    try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      job.load(in);
    } catch (NoSuchFileException e) {
      throw new OptionException("job file " + file + " does not exist", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new OptionException("cannot read job file " + file + ": " + e, e);
    }
    if (job.repeated != null) {
      throw new OptionException("key " + job.repeated + " is given twice in " + file + " ('"
          + job.first + "' and '" + job.second + "')");
    }
    // Sorted, so that with several mistakes the same one is reported every time.
    for (String key : new TreeSet<>(job.stringPropertyNames())) {
      OptionSpec spec = specs.get(key);
      if (spec == null) {
        throw unknown("key " + key + " in " + file, key, "");
      }
      if (key.equals(Options.CONFIG)) {
        throw new OptionException("key config in " + file
            + ": a job file cannot name another job file; give --config on the command line");
      }
      apply(spec, job.getProperty(key).strip(), Source.CONFIG, file);
    }
  }

  /**
   * Java properties that remember the first key given twice (plain {@link Properties} keeps the
   * last value silently, so a job file edited in two places would lose one edit unnoticed).
   */
  private static final class UniqueKeys extends Properties {
    private static final long serialVersionUID = 1L;
    private String repeated;
    private Object first;
    private Object second;

    @Override
    public synchronized Object put(Object key, Object value) {
      Object old = super.put(key, value);
      if (old != null && repeated == null) {
        repeated = key.toString();
        first = old;
        second = value;
      }
      return old;
    }
  }

  /** Parses and stores one value; {@code file} is null for the command line. */
  private void apply(OptionSpec spec, String text, Source source, String file) {
    Object value = spec.kind().parse(text);
    if (value == null) {
      String where = file == null ? "--" + spec.name() : spec.name() + " in " + file;
      throw new OptionException(
          where + ": expected " + spec.kind().expected() + ", got '" + text + "'");
    }
    set(spec, value, source);
  }

  private void set(OptionSpec spec, Object value, Source source) {
    values.put(spec.name(), value);
    sources.put(spec.name(), source);
  }

  private void checkRequired() {
    List<String> missing = new ArrayList<>();
    for (OptionSpec s : specs.values()) {
      if (s.isRequired() && !values.containsKey(s.name())) {
        missing.add("--" + s.name());
      }
    }
    if (missing.size() == 1) {
      throw new OptionException("missing required option " + missing.get(0)
          + " (give it on the command line or in the job file)");
    }
    if (!missing.isEmpty()) {
      throw new OptionException("missing required options " + String.join(", ", missing)
          + " (give them on the command line or in the job file)");
    }
  }

  /** "unknown WHAT; did you mean PREFIX+name?", or a pointer to {@code --help}. */
  private OptionException unknown(String what, String name, String prefix) {
    return new OptionException("unknown " + what + Suggestions.nearest(name, specs.keySet())
        .map(s -> "; did you mean " + prefix + s + "?")
        .orElse(" (--help lists the options)"));
  }
}
