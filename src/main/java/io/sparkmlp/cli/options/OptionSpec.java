package io.sparkmlp.cli.options;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One declared option of a command: its kebab-case name (given as {@code --name} on the command
 * line and as the key {@code name} in a job file), a one-line description, the kind of value
 * with its constraints, and either a default, "required", or neither (optional without default).
 *
 * <p>Declare options through the static factories and finish with
 * {@link OptionBuilder#describe}; constraints come first, then the default:
 *
 * <pre>{@code
 * List<OptionSpec> specs = List.of(
 *     OptionSpec.pathOption("data").required().describe("training data (libsvm or parquet)"),
 *     OptionSpec.intOption("epochs").min(1).defaultValue(10).describe("passes over the data"),
 *     OptionSpec.doubleOption("lr").greaterThan(0).defaultValue(0.01).describe("learning rate"),
 *     OptionSpec.intListOption("hidden").min(1).allowEmpty().defaultValue(64).describe("sizes"),
 *     OptionSpec.choiceOption("activation", "relu", "tanh").defaultValue("relu").describe("σ"));
 * }</pre>
 *
 * <p>The declaration is checked when built: a bad name, a default that its own constraints
 * reject, or a required option with a default throw {@link IllegalArgumentException}.
 */
public final class OptionSpec {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final String name;
  private final String description;
  private final ValueKind kind;
  private final Object defaultValue;
  private final boolean required;
  private final Recording recording;

  OptionSpec(String name, String description, ValueKind kind, String defaultText,
      boolean required, Recording recording) {
    if (!KEBAB.matcher(Objects.requireNonNull(name, "option name")).matches()) {
      throw new IllegalArgumentException(
          "option name '" + name + "' is not kebab-case (lower-case words joined by '-')");
    }
    if (description == null || description.isBlank() || description.contains("\n")) {
      throw new IllegalArgumentException(
          "option " + name + ": the description must be one non-blank line, got '"
              + description + "'");
    }
    if (required && defaultText != null) {
      throw new IllegalArgumentException(
          "option " + name + ": a required option cannot have a default ('" + defaultText + "')");
    }
    this.defaultValue = defaultText == null ? null : kind.parse(defaultText);
    if (defaultText != null && defaultValue == null) {
      throw new IllegalArgumentException("option " + name + ": the default '" + defaultText
          + "' is not " + kind.expected());
    }
    this.name = name;
    this.description = description;
    this.kind = kind;
    this.required = required;
    this.recording = Objects.requireNonNull(recording, "recording");
  }

  /** Free text, possibly empty. */
  public static StringOptionBuilder stringOption(String name) {
    return new StringOptionBuilder(name, TextKind.STRING);
  }

  /** A local path, or a URI for Hadoop's file system; must not be empty. */
  public static StringOptionBuilder pathOption(String name) {
    return new StringOptionBuilder(name, TextKind.PATH);
  }

  /** One of {@code allowed}, matched ignoring case; read with {@link ParsedOptions#getChoice}. */
  public static StringOptionBuilder choiceOption(String name, String... allowed) {
    return new StringOptionBuilder(name, new ChoiceKind(List.of(allowed)));
  }

  /** {@code true|false}; defaults to {@code false}; a bare {@code --name} means {@code true}. */
  public static BooleanOptionBuilder booleanOption(String name) {
    return new BooleanOptionBuilder(name);
  }

  /** An {@code int}, unbounded unless {@code min}/{@code max} are given. */
  public static IntOptionBuilder intOption(String name) {
    return new IntOptionBuilder(name);
  }

  /** A {@code long}, unbounded unless {@code min}/{@code max} are given. */
  public static LongOptionBuilder longOption(String name) {
    return new LongOptionBuilder(name);
  }

  /** A finite {@code double}, unbounded unless bounds are given. */
  public static DoubleOptionBuilder doubleOption(String name) {
    return new DoubleOptionBuilder(name);
  }

  /** A comma-separated list of {@code int}s such as {@code 256,128}. */
  public static IntListOptionBuilder intListOption(String name) {
    return new IntListOptionBuilder(name);
  }

  /** An {@code int} or the single {@code keyword}, as {@code --batch-size N|full}. */
  public static IntOrKeywordOptionBuilder intOrKeywordOption(String name, String keyword) {
    return new IntOrKeywordOptionBuilder(name, keyword);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public boolean isRequired() {
    return required;
  }

  /** Whether and when the option is recorded in the effective job file. */
  public Recording recording() {
    return recording;
  }

  /** The default in canonical form, or empty when the option has none. */
  public Optional<String> defaultText() {
    return defaultValue == null ? Optional.empty() : Optional.of(kind.format(defaultValue));
  }

  ValueKind kind() {
    return kind;
  }

  /** The parsed default, or {@code null}. */
  Object defaultValue() {
    return defaultValue;
  }

  /** {@code --name METAVAR}, as in the usage text. */
  @Override
  public String toString() {
    return "--" + name + " " + kind.metavar();
  }
}
