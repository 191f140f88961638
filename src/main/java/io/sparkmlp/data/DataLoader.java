package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads training data into cached, stacked {@link Block}s.
 *
 * <p>Passes over the data (each one Spark job):
 * <ol>
 *   <li>read and validate every row through Hadoop/Spark into per-split chunks (cached), and
 *       collect their counts, distinct labels and first errors;
 *   <li>(driver) number the rows in file order, pick the validation rows, fix the class mapping;
 *   <li>if standardising: exact per-feature sums over the training rows;
 *   <li>per part: cut the chunks into pieces at the partition boundaries, shuffle them to their
 *       partition and concatenate into one block each (cached, computed before returning).
 * </ol>
 * The result depends only on the files, the spec, the seed and the partition count: neither the
 * master nor how Hadoop splits the input changes a bit of it.
 */
public final class DataLoader {
  private static final Logger LOG = LoggerFactory.getLogger("io.sparkmlp.data");

  private DataLoader() {}

  /**
   * Reads {@code spec} once, validates every row, numbers the rows in file order (files sorted by
   * path, then line order), holds out {@code round(f * N)} rows for validation (seeded
   * permutation), computes the class mapping (over all rows, so no validation row can have a
   * class the mapping lacks) and, if asked, the feature mean/std over the training rows, and
   * returns both parts stacked into {@code options.partitions()} blocks each, cached.
   *
   * @throws DataFormatException for invalid data (under FAIL) or inputs that match no file
   */
  public static Split load(SparkSession spark, DataSpec spec, LoadOptions options) {
    long t0 = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    DataFormat format = spec.format() != null ? spec.format() : DataFormat.infer(spec.path(), conf);
    checkLabelCols(spec, format, spec.task(), true);
    List<InputFiles.Entry> files = InputFiles.list(spec.path(), conf);
    Source src = open(spark, conf, format, spec, files, spec.task(), true, spec.numFeatures(),
        null);
    try {
      Scan scan = scan(src, conf, spec);
      int numFeatures = numFeatures(scan, src, spec.numFeatures(), spec);
      double[] classes = null;
      if (spec.task() == Task.CLASSIFICATION) {
        classes = classLabels(scan.chunks);
        if (classes.length < 2) {
          LOG.warn("{}: the labels have only one distinct value ({})", spec.path(),
              ParseConfig.classList(classes));
        }
      }
      RowLayout layout = RowLayout.plan(scan.chunks, src.chunks.getNumPartitions(),
          options.validationFraction(), options.seed());
      if (layout.numTrain == 0) {
        throw new IllegalArgumentException("validation fraction " + options.validationFraction()
            + " leaves no training rows of the " + layout.numRows + " in " + spec.path());
      }
      if (options.validationFraction() > 0 && layout.numValidation == 0) {
        LOG.warn("{}: validation fraction {} of {} rows rounds to 0 validation rows",
            spec.path(), options.validationFraction(), layout.numRows);
      }
      double[] mean = null;
      double[] std = null;
      if (options.standardize()) {
        double[] shift = firstRow(scan.chunks, numFeatures);
        FeatureStats stats = run(conf, () -> src.chunks
            .map(c -> FeatureStats.ofChunk(c, layout, shift))
            .reduce(FeatureStats::merge));
        double[][] ms = stats.meanStd(shift);
        mean = ms[0];
        std = ms[1];
      }
      String fingerprint =
          InputFiles.fingerprint(files, spec.labelCols(), format, numFeatures);
      String[] targetNames = targetNames(spec, format);
      TargetScaling targets = options.standardizeTargets() && targetNames != null
          ? run(conf, () -> FeatureStats.targetScaling(src.chunks, scan.chunks, layout,
              targetNames.length))
          : null;
      boolean sparse = chooseSparse(options.layout(), scan.chunks, numFeatures, options.dtype(),
          cacheBytes(spark.sparkContext()), spec.path());
      BlockMaker.Shape shape = new BlockMaker.Shape(numFeatures, options.dtype(),
          classes != null, targetNames == null ? 0 : targetNames.length, sparse,
          src.cfg.weighted());
      String[] featureNames = src.cfg.featureNames();
      Dataset train = build(conf, src.chunks, layout, BlockMaker.Part.TRAIN, layout.numTrain,
          options.partitions(), shape, mean, std, targets, classes, targetNames, featureNames,
          scan.skipped, fingerprint, spec.task(), spec.path() + " (train)");
      Dataset validation = null;
      if (options.validationFraction() > 0) {
        validation = build(conf, src.chunks, layout, BlockMaker.Part.VALIDATION,
            layout.numValidation, options.partitions(), shape, mean, std, targets, classes,
            targetNames, featureNames, 0, fingerprint, spec.task(), spec.path() + " (validation)");
      }
      LOG.info("loaded {}: {} rows x {} features ({} train, {} validation, {} skipped) in {} ms;"
          + " {}", spec.path(), layout.numRows, numFeatures, layout.numTrain,
          layout.numValidation, scan.skipped, (System.nanoTime() - t0) / 1_000_000,
          train.memorySummary());
      return new Split(train, validation);
    } finally {
      src.chunks.unpersist(false);
    }
  }

  /**
   * Loads a second data set (validation, test or predict input) with the same feature count,
   * class mapping, standardisation, dtype and task as {@code reference}, into
   * {@code partitions} blocks. A row with a class the mapping lacks, or a LibSVM index beyond the
   * reference's feature count, is invalid (an error, or skipped under SKIP). With
   * {@code requireLabels=false} (predict input) labels are not read: blocks carry none, CSV and
   * Parquet label columns may be absent (present ones are not features), and a LibSVM line may
   * start directly with {@code idx:value}. The task comes from {@code reference}.
   */
  public static Dataset loadLike(SparkSession spark, DataSpec spec, Dataset reference,
      int partitions, boolean requireLabels) {
    return loadLike(spark, spec, reference, partitions, requireLabels, InputLayout.AUTO);
  }

  /** As above, storing the features as {@code inputLayout} says (dense, sparse, by density). */
  public static Dataset loadLike(SparkSession spark, DataSpec spec, Dataset reference,
      int partitions, boolean requireLabels, InputLayout inputLayout) {
    long t0 = System.nanoTime();
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    DataFormat format = spec.format() != null ? spec.format() : DataFormat.infer(spec.path(), conf);
    Task task = reference.task();
    checkLabelCols(spec, format, task, requireLabels);
    int targets = format == DataFormat.LIBSVM ? 1 : spec.labelCols().size();
    if (requireLabels && task == Task.REGRESSION && targets != reference.numTargets()) {
      throw new IllegalArgumentException("the reference data has " + reference.numTargets()
          + " targets " + Arrays.toString(reference.targetNames()) + " but " + spec.path()
          + " gives " + targets + (format == DataFormat.LIBSVM ? " (LibSVM has one label)"
              : " " + spec.labelCols()));
    }
    int numFeatures = reference.numFeatures();
    if (spec.numFeatures() > 0 && spec.numFeatures() != numFeatures) {
      throw new IllegalArgumentException("numFeatures " + spec.numFeatures()
          + " differs from the reference data's " + numFeatures);
    }
    List<InputFiles.Entry> files = InputFiles.list(spec.path(), conf);
    double[] classes = requireLabels ? reference.classLabels() : null;
    Source src = open(spark, conf, format, spec, files, task, requireLabels, numFeatures, classes);
    try {
      Scan scan = scan(src, conf, spec);
      numFeatures(scan, src, numFeatures, spec);
      RowLayout layout = RowLayout.plan(scan.chunks, src.chunks.getNumPartitions(), 0.0, 0L);
      String[] targetNames = requireLabels ? reference.targetNames() : null;
      boolean sparse = chooseSparse(inputLayout, scan.chunks, numFeatures, reference.dtype(),
          cacheBytes(spark.sparkContext()), spec.path());
      BlockMaker.Shape shape = new BlockMaker.Shape(numFeatures, reference.dtype(),
          classes != null, targetNames == null ? 0 : targetNames.length, sparse,
          src.cfg.weighted());
      String fingerprint = InputFiles.fingerprint(files, spec.labelCols(), format, numFeatures);
      String[] featureNames = src.cfg.featureNames();
      LOG.info("{}: features matched {}", spec.path(), featureNames != null
          && spec.featureNames() != null ? "by name" : "by position");
      Dataset d = build(conf, src.chunks, layout, BlockMaker.Part.TRAIN, layout.numRows,
          partitions, shape, reference.featureMean(), reference.featureStd(),
          requireLabels ? reference.targetScaling() : null, classes, targetNames, featureNames,
          scan.skipped, fingerprint, task, spec.path());
      LOG.info("loaded {}: {} rows x {} features ({} skipped) in {} ms; {}", spec.path(),
          layout.numRows, numFeatures, scan.skipped, (System.nanoTime() - t0) / 1_000_000,
          d.memorySummary());
      return d;
    } finally {
      src.chunks.unpersist(false);
    }
  }

  /**
   * {@code path} written so that Hadoop's globbing, which Spark and this loader apply to data
   * paths, matches exactly what the loader reads for it now: an existing file or directory whose
   * name holds glob characters ({@code * ? [ ] { } \}) comes back with them escaped, a glob or
   * a plain path unchanged. For job files that must re-read the same data.
   */
  public static String literalPattern(String path, Configuration conf) throws IOException {
    return InputFiles.literalPattern(path, conf);
  }

  private static void checkLabelCols(DataSpec spec, DataFormat format, Task task,
      boolean readLabels) {
    if (!readLabels) {
      return;
    }
    if (format == DataFormat.LIBSVM && spec.labelCols().size() > 1) {
      throw new IllegalArgumentException("LibSVM rows have one label (the first token); "
          + spec.labelCols().size() + " label columns " + spec.labelCols() + " were given");
    }
    if (task == Task.CLASSIFICATION && spec.labelCols().size() > 1) {
      throw new IllegalArgumentException("classification takes one label column; "
          + spec.labelCols() + " were given (several label columns need --task regression)");
    }
  }

  /** The parse config and the (cached) chunk RDD of an input. */
  private static final class Source {
    final ParseConfig cfg;
    final JavaRDD<ParsedChunk> chunks;

    Source(ParseConfig cfg, JavaRDD<ParsedChunk> chunks) {
      this.cfg = cfg;
      this.chunks = chunks;
    }
  }

  private static Source open(SparkSession spark, Configuration conf, DataFormat format,
      DataSpec spec, List<InputFiles.Entry> files, Task task, boolean readLabels,
      int expectedFeatures, double[] knownClasses) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParseConfig cfg;
    JavaRDD<ParsedChunk> chunks;
    switch (format) {
      case LIBSVM:
        cfg = ParseConfig.libsvm(task, spec.onInvalid(), readLabels, readLabels,
            expectedFeatures, knownClasses);
        if (spec.weightCol() != null) {
          cfg = cfg.withWeights(spec.weightCol(), -1);
        }
        chunks = TextSource.read(jsc, conf, files, cfg);
        break;
      case CSV:
        cfg = CsvHeader.config(files, conf, spec, task, readLabels, expectedFeatures,
            knownClasses);
        chunks = TextSource.read(jsc, conf, files, cfg);
        break;
      case PARQUET:
        ParquetSource.Result r = ParquetSource.read(spark, spec, task, readLabels,
            expectedFeatures, knownClasses, files.get(0).path().toString());
        cfg = r.config;
        chunks = r.chunks;
        break;
      default:
        throw new IllegalArgumentException("unsupported format " + format);
    }
    chunks.setName("spark-mlp parsed " + spec.path());
    chunks.persist(StorageLevel.MEMORY_AND_DISK());
    return new Source(cfg, chunks);
  }

  /** Pass 1's outcome: chunk summaries in global order, skipped count. */
  private static final class Scan {
    final List<ChunkSummary> chunks;
    final long skipped;

    Scan(List<ChunkSummary> chunks, long skipped) {
      this.chunks = chunks;
      this.skipped = skipped;
    }
  }

  /**
   * Refuses weighted data whose every weight is 0: there is nothing to train on or to average
   * over (a weighted mean over weight 0 is 0/0).
   */
  private static void checkWeightsNotAllZero(List<ChunkSummary> sums, ParseConfig cfg,
      String path) {
    String problem = allWeightsZero(sums, cfg);
    if (problem != null) {
      throw DataFormatException.ofFile(problem, path);
    }
  }

  /** What is wrong when weighted data's every weight is 0, else null. */
  static String allWeightsZero(List<ChunkSummary> sums, ParseConfig cfg) {
    if (!cfg.weighted() || !cfg.requireLabels) {
      return null;
    }
    long rows = 0;
    for (ChunkSummary c : sums) {
      if (c.positiveWeights > 0) {
        return null;
      }
      rows += c.rows;
    }
    return "every sample weight is 0 (" + rows + " rows, " + cfg.weightWhere()
        + "): nothing to train on; weights must be >= 0 and not all 0";
  }

  /** Pass 1: parse everything, then report the first error in file order or the skipped rows. */
  private static Scan scan(Source src, Configuration conf, DataSpec spec) {
    List<ChunkSummary> sums =
        new ArrayList<>(run(conf, () -> src.chunks.map(ParsedChunk::summary).collect()));
    sums.sort(ChunkSummary.FILE_ORDER);
    long skipped = 0;
    long rows = 0;
    List<Problem> samples = new ArrayList<>();
    for (ChunkSummary c : sums) {
      if (c.failure != null) {
        throw InputFiles.withLine(c.failure.toException(), conf);
      }
      skipped += c.skipped;
      rows += c.rows;
      for (Problem p : c.samples) {
        if (samples.size() < ChunkBuilder.MAX_SAMPLES) {
          samples.add(p);
        }
      }
    }
    if (skipped > 0) {
      for (Problem p : samples) {
        LOG.warn("skipped invalid row: {}", InputFiles.withLine(p.toException(), conf).getMessage());
      }
      LOG.warn("{}: skipped {} invalid rows{}", spec.path(), skipped,
          skipped > samples.size() ? " (the first " + samples.size() + " are shown above)" : "");
    }
    if (rows == 0) {
      throw DataFormatException.ofFile("empty data set: no data rows"
          + (skipped > 0 ? " (all " + skipped + " rows were invalid and skipped)" : ""),
          spec.path());
    }
    checkWeightsNotAllZero(sums, src.cfg, spec.path());
    return new Scan(sums, skipped);
  }

  /** The feature count: given, or inferred (LibSVM: max index; vectors: their common size). */
  private static int numFeatures(Scan scan, Source src, int given, DataSpec spec) {
    ParseConfig cfg = src.cfg;
    if (cfg.format != DataFormat.LIBSVM && cfg.vectorColumn < 0) {
      return cfg.denseWidth;
    }
    if (given > 0) {
      return given;
    }
    int width = 0;
    ChunkSummary first = null;
    for (ChunkSummary c : scan.chunks) {
      if (c.rows == 0) {
        continue;
      }
      if (cfg.vectorColumn >= 0 && first != null && c.width != first.width) {
        throw DataFormatException.atRecord("vector has " + c.width + " elements, but those in "
            + first.file + " have " + first.width, c.file, c.start + 1, "column 'features'",
            "size " + c.width);
      }
      if (first == null) {
        first = c;
      }
      width = Math.max(width, c.width);
    }
    if (width == 0) {
      throw DataFormatException.ofFile("no features: every row is empty", spec.path());
    }
    return width;
  }

  /**
   * Resolves the storage layout from the data's density (non-zeros over rows × features, all
   * rows) and, under {@link InputLayout#AUTO}, from whether the dense blocks would fit in the
   * memory the executors can cache ({@code cacheBytes}); logs the choice with its reason, and
   * warns when an explicit dense layout will not fit.
   */
  static boolean chooseSparse(InputLayout layout, List<ChunkSummary> chunks, int numFeatures,
      Dtype dtype, long cacheBytes, String what) {
    long rows = 0;
    long nonZeros = 0;
    for (ChunkSummary c : chunks) {
      rows += c.rows;
      nonZeros += c.nonZeros;
    }
    double density = rows == 0 ? 0.0 : nonZeros / ((double) rows * numFeatures);
    long denseBytes = rows * numFeatures * (long) dtype.bytes();
    long sparseBytes = 4 * rows + nonZeros * (4L + dtype.bytes());
    boolean sparse = layout.sparse(density, denseBytes, sparseBytes, cacheBytes);
    String reason = layout != InputLayout.AUTO ? ""
        : density < InputLayout.SPARSE_BELOW
            ? ", auto stores sparse below " + percent(InputLayout.SPARSE_BELOW)
            : sparse ? ", above auto's " + percent(InputLayout.SPARSE_BELOW) + " but dense would "
                + "need " + gib(denseBytes) + ", more than the " + gib(cacheBytes)
                + " the executors can cache"
            : ", auto stores dense from " + percent(InputLayout.SPARSE_BELOW);
    LOG.info("{}: features stored {} (input layout {}): density {} ({} non-zeros per row of {}){}",
        what, sparse ? "sparse (CSR)" : "dense", layout.optionName(), percent(density),
        String.format(java.util.Locale.ROOT, "%.1f", rows == 0 ? 0.0 : nonZeros / (double) rows),
        numFeatures, reason);
    if (!sparse && denseBytes > cacheBytes) {
      LOG.warn("{}: dense blocks need {} but the executors can cache {}: expect spilling to disk "
          + "or OutOfMemoryError; --input-layout sparse would need {}", what, gib(denseBytes),
          gib(cacheBytes), gib(sparseBytes));
    }
    return sparse;
  }

  /**
   * The memory the block managers can cache, summed over all of them (the driver's included,
   * so slightly more than the executors have on a cluster).
   */
  static long cacheBytes(org.apache.spark.SparkContext sc) {
    long total = 0;
    scala.collection.Iterator<scala.Tuple2<Object, Object>> it =
        sc.getExecutorMemoryStatus().valuesIterator();
    while (it.hasNext()) {
      total += (Long) it.next()._1();
    }
    return total;
  }

  private static String gib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  private static String percent(double f) {
    return String.format(java.util.Locale.ROOT, f < 0.01 ? "%.3g%%" : "%.1f%%", 100 * f);
  }

  static double[] classLabels(List<ChunkSummary> chunks) {
    TreeSet<Double> all = new TreeSet<>();
    for (ChunkSummary c : chunks) {
      if (c.distinctLabels != null) {
        for (double v : c.distinctLabels) {
          all.add(v);
        }
        if (all.size() > ChunkBuilder.MAX_CLASSES) {
          throw new IllegalArgumentException("more than " + ChunkBuilder.MAX_CLASSES
              + " distinct class labels: is this a regression target (--task regression)?");
        }
      }
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] firstRow(List<ChunkSummary> chunks, int numFeatures) {
    for (ChunkSummary c : chunks) {
      if (c.rows > 0) {
        return c.firstRowDense(numFeatures);
      }
    }
    return new double[numFeatures];
  }

  private static String[] targetNames(DataSpec spec, DataFormat format) {
    if (spec.task() != Task.REGRESSION) {
      return null;
    }
    return format == DataFormat.LIBSVM ? new String[] {"label"}
        : spec.labelCols().toArray(new String[0]);
  }

  /** Pass 3 for one part: pieces to partitions, concatenated, cached and computed. */
  static Dataset build(Configuration conf, JavaRDD<ParsedChunk> chunks,
      RowLayout layout, BlockMaker.Part part, long rows, int partitions, BlockMaker.Shape shape,
      double[] mean, double[] std, TargetScaling targets, double[] classes, String[] targetNames,
      String[] featureNames, long skipped, String fingerprint, Task task, String name) {
    long[] starts = RowLayout.ranges(rows, partitions);
    long largest = (rows + partitions - 1) / partitions;
    if (largest * Math.max(1, Math.max(shape.sparse() ? 0 : shape.numFeatures(), shape.numTargets()))
        > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a partition of " + largest + " rows x "
          + shape.numFeatures() + " features exceeds the 2^31 elements of a Java array: use at least "
          + (rows * (long) shape.numFeatures() / (Integer.MAX_VALUE - 16) + 1) + " partitions");
    }
    JavaRDD<Block> blocks = chunks
        .flatMapToPair(new BlockMaker(layout, part, starts, shape, mean, std, targets, classes))
        .partitionBy(new BlockMaker.ByIndex(partitions))
        .mapPartitionsWithIndex(
            new BlockMaker.Assemble(starts, shape,
                shape.sparse() ? Standardization.of(mean, std).center() : null), true);
    blocks.setName("spark-mlp blocks " + name);
    blocks.persist(StorageLevel.MEMORY_AND_DISK());
    List<long[]> counts =
        run(conf, () -> blocks.map(b -> new long[] {b.rows(), b.storedBytes()}).collect());
    long[] partitionRows = new long[partitions];
    long bytes = 0;
    for (int i = 0; i < partitions; i++) {
      partitionRows[i] = starts[i + 1] - starts[i];
      if (counts.get(i)[0] != partitionRows[i]) {
        throw new IllegalStateException("partition " + i + " holds " + counts.get(i)[0]
            + " rows, planned " + partitionRows[i]);
      }
      bytes += counts.get(i)[1];
    }
    return new Dataset(blocks, rows, shape.numFeatures(), partitionRows, task, shape.dtype(),
        classes != null || shape.numTargets() > 0, classes, targetNames, featureNames, mean, std,
        targets, skipped, fingerprint, shape.sparse(), bytes);
  }

  /** A Spark action. */
  @FunctionalInterface
  private interface Action<T> {
    T run() throws Exception;
  }

  /**
   * Runs a job, surfacing a {@link DataFormatException} thrown in a task (with its line number
   * resolved) instead of Spark's wrapper.
   */
  private static <T> T run(Configuration conf, Action<T> action) {
    try {
      return action.run();
    } catch (Exception e) {
      DataFormatException d = DataFormatException.unwrap(e);
      if (d != null) {
        throw InputFiles.withLine(d, conf);
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
