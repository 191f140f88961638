package io.sparkmlp.cli.options;

/**
 * The common end of every option declaration: {@link #required()}, how the option is recorded
 * in the effective job file, and {@link #describe}. The kind-specific subclasses add constraints
 * and a typed {@code defaultValue}; call those first, because these return this base type.
 */
public abstract class OptionBuilder {
  private final String name;
  private String defaultText;
  private boolean required;
  private Recording recording = Recording.ALWAYS;

  OptionBuilder(String name) {
    this.name = name;
  }

  /**
   * Makes the option required: parsing fails unless the job file or the command line gives it.
   * A required option cannot have a default.
   */
  public OptionBuilder required() {
    required = true;
    return this;
  }

  /**
   * Records the option in the effective job file only when it was given: it does not change
   * the result (see {@link Recording#WHEN_GIVEN}).
   */
  public OptionBuilder recordedWhenGiven() {
    recording = Recording.WHEN_GIVEN;
    return this;
  }

  /** Never records the option in the effective job file: an action of one invocation. */
  public OptionBuilder neverRecorded() {
    recording = Recording.NEVER;
    return this;
  }

  /**
   * Finishes the declaration with a one-line description for the usage text.
   *
   * @throws IllegalArgumentException if the name is not kebab-case, the description is blank or
   *     spans lines, the default violates the constraints, or a required option has a default
   */
  public OptionSpec describe(String description) {
    return new OptionSpec(name, description, kind(), defaultText, required, recording);
  }

  /** The value kind with the constraints given so far. */
  abstract ValueKind kind();

  /** Sets the default as text; {@link OptionSpec} checks it against {@link #kind()}. */
  void setDefaultText(String text) {
    defaultText = text;
  }
}
