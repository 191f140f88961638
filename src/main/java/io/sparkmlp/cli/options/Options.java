package io.sparkmlp.cli.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of the option framework: parses a command's options and renders its help.
 *
 * <p>Every command implicitly has {@code --config FILE}, a job file in Java {@code .properties}
 * format whose keys are the option names without {@code --}; the command line overrides it, so
 * {@code train --config jobs/mnist.properties --epochs 5} runs the job with 5 epochs.
 */
public final class Options {
  /** Name of the implicit job-file option. */
  public static final String CONFIG = "config";

  private static final OptionSpec CONFIG_SPEC = OptionSpec.pathOption(CONFIG).describe(
      "job file (.properties, keys = option names without --); the command line overrides it");

  private Options() {}

  /**
   * Parses {@code args} (everything after the command name) against {@code specs}.
   *
   * @throws OptionException for any mistake in the arguments or the job file, with a message
   *     to print as-is
   * @throws IllegalArgumentException if {@code specs} repeats a name or declares {@code config}
   */
  public static ParsedOptions parse(List<OptionSpec> specs, String[] args) {
    return new OptionParser(withConfig(specs)).parse(args);
  }

  /** Whether the user asked for help: {@code --help} or {@code -h} anywhere in {@code args}. */
  public static boolean isHelpRequested(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The help text of {@code command}: a usage line, then one line per option (including
   * {@code --config}) with its value placeholder, description, allowed values and default or
   * "required".
   */
  public static String usage(String command, List<OptionSpec> specs) {
    Map<String, OptionSpec> all = withConfig(specs);
    int width = 0;
    for (OptionSpec s : all.values()) {
      width = Math.max(width, s.toString().length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: submit.sh [spark options] ").append(command)
        .append(" [--name value | --name=value ...]\n\nOptions:\n");
    for (OptionSpec s : all.values()) {
      String rule = s.kind() instanceof TextKind ? "" : s.kind().expected();
      String status = s.isRequired() ? "required"
          : s.defaultText().map(d -> "default: " + (d.isEmpty() ? "empty" : d)).orElse("");
      String details = rule.isEmpty() || status.isEmpty() ? rule + status : rule + "; " + status;
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%s%n", s, s.description(),
          details.isEmpty() ? "" : " (" + details + ")"));
    }
    return sb.toString();
  }

  /** {@code config} first, then {@code specs} in order, keyed by name. */
  private static Map<String, OptionSpec> withConfig(List<OptionSpec> specs) {
    Map<String, OptionSpec> all = new LinkedHashMap<>();
    all.put(CONFIG, CONFIG_SPEC);
    for (OptionSpec s : specs) {
      if (all.put(s.name(), s) != null) {
        throw new IllegalArgumentException("option --" + s.name()
            + (s.name().equals(CONFIG) ? " is implicit and must not be declared"
                : " is declared twice"));
      }
    }
    return all;
  }
}
