package io.sparkmlp.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmlp.blas.Blas;
import io.sparkmlp.cli.options.OptionSpec;
import io.sparkmlp.cli.options.ParsedOptions;
import io.sparkmlp.cli.OutputOptions;
import io.sparkmlp.io.OutputPolicy;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench}: measures, in one run on one machine, the figures BENCHMARKS.md publishes:
 * (1) the BLAS's GEMM rate at the model's shapes and the GEMM-bound epoch time, (2) our epoch
 * time per dtype, batch and step engine against that bound, (3) where a step's time goes and
 * the per-step overhead floor, (4) MLlib's MLPC on the same data and cores, (5) memory, (6)
 * sparse against dense input: the kernel crossover density, epoch times and cached bytes, (7, when
 * asked) training on the executors of a cluster, with a cost model of larger clusters, (8, when
 * asked) the kernel's cost of sample weights. Prints
 * each figure's table as it is done, then every summary line; {@code --out} also writes them
 * as JSON ({@code .json}) or Markdown. Timings are only meaningful on an otherwise idle machine.
 */
public final class BenchCommand {
  public static final String NAME = "bench";

  private BenchCommand() {}

  public static List<OptionSpec> specs() {
    return BenchSettings.specs();
  }

  public static void run(SparkSession spark, ParsedOptions o, PrintStream out) throws IOException {
    BenchSettings s = BenchSettings.of(o);
    OutputPolicy policy = OutputOptions.policy(o, spark.sparkContext().hadoopConfiguration(), NAME);
    OutputPolicy.Output results = s.out() == null ? null : policy.file("--out", s.out());
    int partitions = s.partitions() > 0 ? s.partitions()
        : spark.sparkContext().defaultParallelism();
    Map<String, Object> facts = facts(spark, partitions);
    facts.forEach((k, v) -> out.println(k + ": " + v));
    List<Figure> figures = new ArrayList<>();
    MLP mlp = new MLP(s.features(), s.hidden(), s.classes(), Activation.RELU,
        Loss.CROSS_ENTROPY);
    GemmFigure gemm = null;
    if (s.wants(1)) {
      gemm = new GemmFigure(s, mlp, partitions);
      show(out, figures, gemm.measure());
    }
    boolean training = s.wants(2) || s.wants(3) || s.wants(5);
    if (training || s.wants(4)) {
      org.apache.spark.sql.Dataset<Row> frame = SyntheticData.frame(spark, s.rows(),
          s.features(), s.classes(), partitions, s.seed());
      try {
        if (training) {
          train(spark, s, partitions, frame, gemm, out, figures);
        }
        if (s.wants(4)) {
          MlpcFigure mlpc = new MlpcFigure(spark, s);
          mlpc.perPass(frame);
          s.jobs().forEach(mlpc::race);
          show(out, figures, mlpc.figure());
        }
      } finally {
        frame.unpersist();
      }
    }
    if (s.wants(6)) {
      show(out, figures, new SparseFigure(spark, s, partitions).measure());
    }
    if (s.wants(8)) {
      show(out, figures, new WeightsFigure(s, mlp).measure());
    }
    if (s.wants(7)) {
      ExecutorsFigure executors = new ExecutorsFigure(spark, s, partitions);
      show(out, figures, executors.measure());
      show(out, figures, executors.costModel());
    }
    out.println("== summary ==");
    figures.forEach(f -> f.summary.forEach(out::println));
    if (results != null) {
      results.write(render(s.out().endsWith(".json"), policy.stamp(), facts, figures));
      out.println("results: " + s.out());
    }
  }

  private static void train(SparkSession spark, BenchSettings s, int partitions,
      org.apache.spark.sql.Dataset<Row> frame, GemmFigure gemm, PrintStream out,
      List<Figure> figures) {
    TrainingFigures runs = new TrainingFigures(spark, s, partitions);
    MemoryFigure memory = s.wants(5) ? new MemoryFigure(spark.sparkContext()) : null;
    for (Dtype dtype : s.dtypes()) {
      runs.run(frame, dtype, gemm, memory);
    }
    if (s.wants(2)) {
      show(out, figures, runs.epochFigure());
    }
    if (s.wants(3)) {
      runs.floor();
      show(out, figures, runs.stepFigure());
    }
    if (memory != null) {
      show(out, figures, memory.figure());
    }
  }

  private static void show(PrintStream out, List<Figure> figures, Figure figure) {
    figures.add(figure);
    out.print(figure.text());
    out.flush();
  }

  /** The conditions of the run, printed first and kept with the results. */
  private static Map<String, Object> facts(SparkSession spark, int partitions) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("master", spark.sparkContext().master());
    facts.put("partitions", partitions);
    facts.put("cores", Runtime.getRuntime().availableProcessors());
    facts.put("blas", Blas.choice().summary());
    facts.put("OPENBLAS_NUM_THREADS", String.valueOf(System.getenv("OPENBLAS_NUM_THREADS")));
    facts.put("OPENBLAS_CORETYPE", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
    facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    facts.put("spark", spark.version());
    facts.put("max heap MiB", Runtime.getRuntime().maxMemory() / 1048576);
    facts.put("jvm args", String.join(" ",
        ManagementFactory.getRuntimeMXBean().getInputArguments()).replaceAll("--add-opens=\\S+ ?", ""));
    return facts;
  }

  /** The results as JSON or Markdown, naming {@code stamp} first (how a re-run knows them). */
  private static byte[] render(boolean json, String stamp, Map<String, Object> facts,
      List<Figure> figures) throws IOException {
    if (json) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("created_by", stamp);
      all.put("facts", facts);
      List<Map<String, Object>> list = new ArrayList<>();
      figures.forEach(f -> list.add(f.asMap()));
      all.put("figures", list);
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(all);
    }
    StringBuilder md = new StringBuilder("# " + stamp + " results\n\n");
    facts.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
    md.append('\n');
    figures.forEach(f -> md.append(f.markdown()));
    return md.toString().getBytes(StandardCharsets.UTF_8);
  }
}
