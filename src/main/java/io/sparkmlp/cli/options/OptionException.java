package io.sparkmlp.cli.options;

/**
 * A mistake in the user's options (command line or job file): unknown name, bad value, missing
 * value or required option, stray argument, unreadable job file.
 *
 * <p>The message is written for the person who typed the command and is meant to be printed
 * as-is, without a stack trace. Mistakes in the option <em>declarations</em> (a programming
 * error) are {@link IllegalArgumentException}s instead.
 */
public final class OptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OptionException(String message) {
    super(message);
  }

  public OptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
