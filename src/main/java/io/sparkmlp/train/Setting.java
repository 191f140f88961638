package io.sparkmlp.train;

import io.sparkmlp.nn.Named;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One training setting, defined once in {@link Settings}: its name, the kind of value with its
 * allowed range or values ({@link SettingType}), its default and a one-line description.
 * Everything else derives from it: the command-line option and job-file key {@code --name} with
 * its help and errors, the Spark ML Param of the same meaning in camelCase with its validator
 * and default, the {@link TrainConfig} or {@code LoadOptions} value it sets, and the entry of
 * {@link TrainConfig#describe()} (model metadata, checkpoint identity).
 *
 * <p>Immutable. Build one with a static factory of the value kind and refine it with the
 * {@code with…} methods, as {@link Settings} does:
 *
 * <pre>{@code
 * Setting<Double> LR = real("lr", above(0), 1e-3, "learning rate").withLabel("learning rate");
 * }</pre>
 *
 * @param <T> the value's Java type ({@code Double}, an enum, {@code int[]}, ...)
 */
public final class Setting<T> {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern CAMEL = Pattern.compile("[a-z][A-Za-z0-9]*");

  /** Which part of the run reads a setting. */
  public enum Scope {
    /** A hyper-parameter of the trainer: held by {@link TrainConfig}. */
    TRAINER,
    /** How the data are loaded and stacked: held by {@code LoadOptions}. */
    LOADER,
    /** Both: the dtype (computation and storage) and the seed (initialisation and split). */
    BOTH,
    /** Neither: read by the command or estimator itself ({@code --init-weights}). */
    CALLER;

    boolean trainer() {
      return this == TRAINER || this == BOTH;
    }
  }

  private final String name;
  private final String param;
  private final String label;
  private final SettingType<T> type;
  private final T defaultValue;
  private final String doc;
  private final Scope scope;
  private final boolean changesResult;

  private Setting(String name, String param, String label, SettingType<T> type, T defaultValue,
      String doc, Scope scope, boolean changesResult) {
    if (!KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException("setting name '" + name + "' is not kebab-case");
    }
    if (!CAMEL.matcher(param).matches()) {
      throw new IllegalArgumentException("setting " + name + ": Param name '" + param
          + "' is not camelCase");
    }
    if (doc.isBlank() || doc.contains("\n")) {
      throw new IllegalArgumentException("setting " + name + ": the doc must be one line");
    }
    if (defaultValue != null || !(type instanceof SettingType.FilePath)) {
      type.check(label, defaultValue);
    }
    this.name = name;
    this.param = param;
    this.label = label;
    this.type = Objects.requireNonNull(type);
    this.defaultValue = type.copy(defaultValue);
    this.doc = doc;
    this.scope = Objects.requireNonNull(scope);
    this.changesResult = changesResult;
  }

  private static <T> Setting<T> of(String name, SettingType<T> type, T defaultValue, String doc) {
    return new Setting<>(name, camelCase(name), name.replace('-', ' '), type, defaultValue, doc,
        Scope.TRAINER, true);
  }

  /** An {@code int >= min}. */
  static Setting<Integer> whole(String name, int min, int defaultValue, String doc) {
    return of(name, new SettingType.Whole(min), defaultValue, doc);
  }

  /** Any {@code long}. */
  static Setting<Long> anyLong(String name, long defaultValue, String doc) {
    return of(name, new SettingType.AnyLong(), defaultValue, doc);
  }

  /** A finite {@code double} in {@code range}. */
  static Setting<Double> real(String name, SettingType.Real range, double defaultValue,
      String doc) {
    return of(name, range, defaultValue, doc);
  }

  /** {@code true} or {@code false}. */
  static Setting<Boolean> flag(String name, boolean defaultValue, String doc) {
    return of(name, new SettingType.Flag(), defaultValue, doc);
  }

  /** A constant of {@code defaultValue}'s enum. */
  static <E extends Enum<E> & Named> Setting<E> oneOf(String name, E defaultValue, String doc) {
    return of(name, new SettingType.OneOf<>(defaultValue.getDeclaringClass()), defaultValue, doc);
  }

  /** A possibly empty list of sizes, each {@code >= min}. */
  static Setting<int[]> sizes(String name, int min, int[] defaultValue, String doc) {
    return of(name, new SettingType.Sizes(min), defaultValue, doc);
  }

  /** A count {@code >= min}, or {@link SettingType.CountOrAll#ALL} written {@code keyword}. */
  static Setting<Integer> countOrAll(String name, int min, String keyword, int defaultValue,
      String doc) {
    return of(name, new SettingType.CountOrAll(min, keyword), defaultValue, doc);
  }

  /** An optional path, without default. */
  static Setting<String> path(String name, String doc) {
    return of(name, new SettingType.FilePath(), null, doc);
  }

  /** The same setting under another Spark ML Param name than the camelCase of its name. */
  Setting<T> withParam(String paramName) {
    return new Setting<>(name, paramName, label, type, defaultValue, doc, scope, changesResult);
  }

  /** The same setting named {@code label} in the trainer's messages ("learning rate ..."). */
  Setting<T> withLabel(String messageLabel) {
    return new Setting<>(name, param, messageLabel, type, defaultValue, doc, scope,
        changesResult);
  }

  /** The same setting read by {@code who}. */
  Setting<T> withScope(Scope who) {
    return new Setting<>(name, param, label, type, defaultValue, doc, who, changesResult);
  }

  /**
   * The same setting marked as leaving the result unchanged (every value gives the same model),
   * so that the effective job file records it only when it was given.
   */
  Setting<T> withSameResult() {
    return new Setting<>(name, param, label, type, defaultValue, doc, scope, false);
  }

  /** The kebab-case name: the option {@code --name}, the job-file key, the describe() key. */
  public String name() {
    return name;
  }

  /** The Spark ML Param name. */
  public String paramName() {
    return param;
  }

  /** How the trainer's messages name the setting: {@code learning rate must be > 0, ...}. */
  public String label() {
    return label;
  }

  public SettingType<T> type() {
    return type;
  }

  /** The default (a copy), or null for an optional setting without one. */
  public T defaultValue() {
    return type.copy(defaultValue);
  }

  /** The one-line description: the CLI's help text, the start of the Param's doc. */
  public String doc() {
    return doc;
  }

  public Scope scope() {
    return scope;
  }

  /** Whether another value may give another model (false for, e.g., the step engine). */
  public boolean changesResult() {
    return changesResult;
  }

  /** Accepts {@code value} or throws {@link IllegalArgumentException} naming it. */
  public void check(T value) {
    type.check(label, value);
  }

  /** The canonical text of {@code value}. */
  public String format(T value) {
    return type.format(value);
  }

  @Override
  public String toString() {
    return name;
  }

  private static String camelCase(String kebab) {
    StringBuilder sb = new StringBuilder();
    for (String word : kebab.split("-")) {
      sb.append(sb.length() == 0 ? word
          : Character.toUpperCase(word.charAt(0)) + word.substring(1));
    }
    return sb.toString();
  }
}
