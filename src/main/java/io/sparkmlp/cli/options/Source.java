package io.sparkmlp.cli.options;

/** Where an option's effective value came from; later sources override earlier ones. */
public enum Source {
  /** The declared default: neither the job file nor the command line gave the option. */
  DEFAULT("default"),
  /** The job file named by {@code --config}. */
  CONFIG("config"),
  /** The command line, which overrides the job file. */
  COMMAND_LINE("command-line");

  private final String label;

  Source(String label) {
    this.label = label;
  }

  /** {@code default}, {@code config} or {@code command-line}. */
  @Override
  public String toString() {
    return label;
  }
}
