package io.sparkmlp.cli.bench;

import static io.sparkmlp.cli.options.OptionSpec.booleanOption;
import static io.sparkmlp.cli.options.OptionSpec.intListOption;
import static io.sparkmlp.cli.options.OptionSpec.intOption;
import static io.sparkmlp.cli.options.OptionSpec.longOption;
import static io.sparkmlp.cli.options.OptionSpec.pathOption;
import static io.sparkmlp.cli.options.OptionSpec.stringOption;

import io.sparkmlp.cli.OutputOptions;
import io.sparkmlp.cli.options.OptionException;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What one {@code bench} run measures. The defaults are the published figures' settings
 * (60000 × 784, 10 classes, hidden 256,128, batches 128/1024/8192, both dtypes, densities
 * 0.1 % to 50 % for the sparse figure); {@code --quick}
 * swaps in tiny sizes for a smoke run, and any option given explicitly still wins over it.
 */
record BenchSettings(long rows, int features, int classes, int[] hidden, int[] batches,
    List<Dtype> dtypes, List<TrainConfig.StepEngineKind> engines, int partitions,
    int warmupEpochs, int epochs, int gemmMillis, int floorBatch, int floorSteps, int mlpcIters,
    List<String> jobs, int raceEpochs, double[] densities, int wideFeatures, int wideNnz,
    String data, int rowsPerPartition, boolean quick, int[] figures,
    long seed, String out) {

  static List<OptionSpec> specs() {
    return List.of(
        longOption("rows").min(1).defaultValue(60000L).describe("rows of the synthetic set"),
        intOption("features").min(1).defaultValue(784).describe("features of the synthetic set"),
        intOption("classes").min(2).defaultValue(10).describe("classes of the synthetic set"),
        intListOption("hidden").min(1).defaultValue(256, 128).describe("hidden layer sizes"),
        intListOption("batches").min(1).defaultValue(128, 1024, 8192)
            .describe("global batch sizes to time"),
        stringOption("dtypes").defaultValue("float32,float64").describe("comma list of dtypes"),
        stringOption("engines").defaultValue("job")
            .describe("comma list of step engines to time: job, stage, auto"),
        intOption("partitions").min(0).defaultValue(0)
            .describe("partitions of the synthetic set; 0: Spark's default parallelism (cores)"),
        intOption("warmup-epochs").min(0).defaultValue(1).describe("untimed epochs per run"),
        intOption("epochs").min(1).defaultValue(3).describe("timed epochs per run (median kept)"),
        intOption("gemm-millis").min(1).defaultValue(300).describe("timing per GEMM shape"),
        intOption("floor-batch").min(1).defaultValue(64).describe("batch of the overhead-floor run"),
        intOption("floor-steps").min(2).defaultValue(300)
            .describe("steps per epoch of the overhead-floor run (16-8-2 network)"),
        intOption("mlpc-iters").min(2).defaultValue(5)
            .describe("MLlib MLPC iterations for its time per pass on the synthetic set"),
        stringOption("jobs").defaultValue("jobs/mnist.properties,jobs/digits.properties")
            .describe("job files of the accuracy race against MLPC (comma list, may be empty)"),
        intOption("race-epochs").min(0).defaultValue(0)
            .describe("epochs of our side of the race; 0: the job file's"),
        stringOption("densities").defaultValue("0.001,0.01,0.1,0.19,0.5")
            .describe("densities of figure 6's sparse vs dense training runs (comma list)"),
        intOption("wide-features").min(0).defaultValue(200_000)
            .describe("figure 6's too-wide-to-densify run: features (0: skip it)"),
        intOption("wide-nnz").min(1).defaultValue(50)
            .describe("figure 6's wide run: non-zeros per row"),
        stringOption("data").defaultValue("data-samples/mnist10k.csv.gz")
            .describe("figure 7's training data (a real data set)"),
        intOption("rows-per-partition").min(1).defaultValue(16)
            .describe("figure 7: rows per partition per step (global batch = this x partitions)"),
        intListOption("figures").min(1).defaultValue(1, 2, 3, 4, 5, 6)
            .describe("figures to measure (7, training on executors, only when asked: "
                + "conf/bench-executors.sh runs it on clusters of 1-8 workers)"),
        longOption("seed").defaultValue(42L).describe("seed of data, initialisation, shuffling"),
        booleanOption("quick").defaultValue(false).describe("tiny sizes: a smoke run in seconds"),
        pathOption("out").describe("also write the results here: .json, else Markdown"),
        OutputOptions.overwrite());
  }

  /** The settings of {@code o}, with {@code --quick}'s sizes where an option was not given. */
  static BenchSettings of(ParsedOptions o) {
    boolean quick = o.getBoolean("quick");
    BenchSettings s = new BenchSettings(
        pick(o, quick, "rows", o.getLong("rows"), 2048L),
        pick(o, quick, "features", o.getInt("features"), 32),
        o.getInt("classes"),
        pick(o, quick, "hidden", o.getIntList("hidden"), new int[] {16, 8}),
        pick(o, quick, "batches", o.getIntList("batches"), new int[] {64, 512}),
        list(o.getString("dtypes"), Dtype::parse),
        list(o.getString("engines"), TrainConfig.StepEngineKind::parse),
        o.getInt("partitions"),
        o.getInt("warmup-epochs"),
        pick(o, quick, "epochs", o.getInt("epochs"), 1),
        pick(o, quick, "gemm-millis", o.getInt("gemm-millis"), 5),
        o.getInt("floor-batch"),
        pick(o, quick, "floor-steps", o.getInt("floor-steps"), 10),
        pick(o, quick, "mlpc-iters", o.getInt("mlpc-iters"), 2),
        pick(o, quick, "jobs", list(o.getString("jobs"), String::trim),
            List.of("jobs/digits.properties")),
        pick(o, quick, "race-epochs", o.getInt("race-epochs"), 2),
        pick(o, quick, "densities", densities(o.getString("densities")), new double[] {0.05}),
        pick(o, quick, "wide-features", o.getInt("wide-features"), 5_000),
        pick(o, quick, "wide-nnz", o.getInt("wide-nnz"), 10),
        o.getString("data"),
        o.getInt("rows-per-partition"),
        quick,
        o.getIntList("figures"),
        o.getLong("seed"),
        o.has("out") ? o.getString("out") : null);
    for (int f : s.figures) {
      if (f > 7) {
        throw new OptionException("--figures: there are figures 1 to 7, got " + f);
      }
    }
    return s;
  }

  boolean wants(int figure) {
    return Arrays.stream(figures).anyMatch(f -> f == figure);
  }

  /** MLPC's settings in the race: its defaults, then more iterations (quick: a few only). */
  List<MlpcSetting> mlpcSettings() {
    return quick ? List.of(new MlpcSetting("l-bfgs", 5, 128))
        : List.of(MlpcSetting.DEFAULTS, new MlpcSetting("l-bfgs", 200, 128),
            new MlpcSetting("l-bfgs", 400, 128));
  }

  private static double[] densities(String csv) {
    double[] d = list(csv, Double::parseDouble).stream().mapToDouble(Double::doubleValue).toArray();
    for (double v : d) {
      if (!(v > 0 && v <= 1)) {
        throw new OptionException("--densities: each density must be in (0, 1], got " + v);
      }
    }
    return d;
  }

  private static <T> T pick(ParsedOptions o, boolean quick, String name, T value, T quickValue) {
    return quick && !o.has(name) ? quickValue : value;
  }

  private static <T> List<T> list(String csv, Function<String, T> parse) {
    List<T> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        try {
          out.add(parse.apply(s.trim()));
        } catch (IllegalArgumentException e) {
          throw new OptionException(e.getMessage());
        }
      }
    }
    return out;
  }
}
