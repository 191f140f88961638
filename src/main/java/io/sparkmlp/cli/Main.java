package io.sparkmlp.cli;

import io.sparkmlp.cli.bench.BenchCommand;
import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.Options;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.DataFormatException;
import io.sparkmlp.train.TrainingDivergedException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The job entry point that {@code submit.sh} hands to {@code spark-submit}:
 * {@code COMMAND [options]} with COMMAND one of train, predict, evaluate, summary, bench.
 *
 * <p>Exit status: 0 on success, 2 for a mistake in the options or the input data (the message
 * names what is wrong, without a stack trace), 1 for anything else.
 */
public final class Main {
  /** The command's option declarations, by command name. */
  private static final Map<String, Supplier<List<OptionSpec>>> COMMANDS = Map.of(
      TrainCommand.NAME, TrainCommand::specs,
      PredictCommand.NAME, PredictCommand::specs,
      EvaluateCommand.NAME, EvaluateCommand::specs,
      SummaryCommand.NAME, SummaryCommand::specs,
      BenchCommand.NAME, BenchCommand::specs);

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs one command; the Spark session is created on demand and left running. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
      err.println("error: expected a command: train, predict, evaluate, summary or bench"
          + (args.length == 0 ? "" : ", got '" + args[0] + "'"));
      return 2;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    List<OptionSpec> specs = COMMANDS.get(command).get();
    if (Options.isHelpRequested(rest)) {
      out.print(Options.usage(command, specs));
      return 0;
    }
    try {
      ParsedOptions options = Options.parse(specs, rest);
      switch (command) {
        case TrainCommand.NAME:
          TrainCommand.run(session(command), options, out);
          break;
        case PredictCommand.NAME:
          PredictCommand.run(session(command), options, out);
          break;
        case EvaluateCommand.NAME:
          EvaluateCommand.run(session(command), options, out);
          break;
        case BenchCommand.NAME:
          BenchCommand.run(session(command), options, out);
          break;
        default:
          SummaryCommand.run(options, out, () -> session(command));
      }
      return 0;
    } catch (OptionException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (TrainingDivergedException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      DataFormatException data = DataFormatException.unwrap(e);
      if (data != null) {
        err.println("error: " + data.getMessage());
        return 2;
      }
      if (e instanceof java.io.IOException) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      err.println("error: " + command + " failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static SparkSession session(String command) {
    return SparkSession.builder().appName("spark-mlp " + command).getOrCreate();
  }
}
