package io.sparkmlp.cli;

import io.sparkmlp.cli.bench.BenchCommand;
import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.Options;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.data.DataFormatException;
import io.sparkmlp.nn.Named;
import io.sparkmlp.train.TrainingDivergedException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
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
  /** What a command runs, given its parsed options and a way to get the Spark session. */
  private interface Runner {
    void run(ParsedOptions o, PrintStream out, Supplier<SparkSession> spark) throws Exception;
  }

  /** What a command that always needs the Spark session runs. */
  private interface SessionRunner {
    void run(SparkSession spark, ParsedOptions o, PrintStream out) throws Exception;
  }

  /** A command: its option declarations and what it runs. */
  private record Command(Supplier<List<OptionSpec>> specs, Runner runner) {
    /** A command that starts the Spark session before it runs. */
    static Command withSession(Supplier<List<OptionSpec>> specs, SessionRunner runner) {
      return new Command(specs, (o, out, spark) -> runner.run(spark.get(), o, out));
    }
  }

  /** Every command by name, registered once, in the order the usage error lists them. */
  private static final Map<String, Command> COMMANDS = commands();

  private Main() {}

  private static Map<String, Command> commands() {
    Map<String, Command> c = new LinkedHashMap<>();
    c.put(TrainCommand.NAME, Command.withSession(TrainCommand::specs, TrainCommand::run));
    c.put(PredictCommand.NAME, Command.withSession(PredictCommand::specs, PredictCommand::run));
    c.put(EvaluateCommand.NAME, Command.withSession(EvaluateCommand::specs, EvaluateCommand::run));
    c.put(SummaryCommand.NAME, new Command(SummaryCommand::specs, SummaryCommand::run));
    c.put(BenchCommand.NAME, Command.withSession(BenchCommand::specs, BenchCommand::run));
    return Collections.unmodifiableMap(c);
  }

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
      err.println("error: expected a command: "
          + Named.alternatives(new ArrayList<>(COMMANDS.keySet()))
          + (args.length == 0 ? "" : ", got '" + args[0] + "'"));
      return 2;
    }
    String name = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Command command = COMMANDS.get(name);
    List<OptionSpec> specs = command.specs().get();
    if (Options.isHelpRequested(rest)) {
      out.print(Options.usage(name, specs));
      return 0;
    }
    try {
      command.runner().run(Options.parse(specs, rest), out, () -> session(name));
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
      err.println("error: " + name + " failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static SparkSession session(String command) {
    return SparkSession.builder().appName("spark-mlp " + command).getOrCreate();
  }
}
