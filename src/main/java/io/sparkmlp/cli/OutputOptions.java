package io.sparkmlp.cli;

import static io.sparkmlp.cli.options.OptionSpec.booleanOption;

import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.io.OutputPolicy;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code --overwrite}, which every command that writes declares, and the {@link OutputPolicy}
 * of a command's run: what it may replace, checked before it reads any data.
 */
public final class OutputOptions {
  private static final String OVERWRITE = "overwrite";

  private OutputOptions() {}

  /** {@code --overwrite}: an action of one run, never recorded in the effective job file. */
  public static OptionSpec overwrite() {
    return booleanOption(OVERWRITE).neverRecorded().describe("replace an existing output that "
        + "this command did not write (never an input, nor a model unless training)");
  }

  /** The output policy of {@code command} run with {@code o}. */
  public static OutputPolicy policy(ParsedOptions o, Configuration conf, String command) {
    return new OutputPolicy(conf, command, o.getBoolean(OVERWRITE));
  }
}
