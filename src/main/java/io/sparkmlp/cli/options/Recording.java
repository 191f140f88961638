package io.sparkmlp.cli.options;

/**
 * Whether an option belongs in the effective job file ({@link ParsedOptions#effective()}), the
 * file that re-runs a run.
 */
public enum Recording {
  /** The option changes the result: recorded with its value, a default included. */
  ALWAYS,
  /**
   * The option does not change the result (where output goes, logging, checkpointing): recorded
   * only when the job file or the command line gave it.
   */
  WHEN_GIVEN,
  /** An action of one invocation (such as {@code --resume}): never recorded. */
  NEVER
}
