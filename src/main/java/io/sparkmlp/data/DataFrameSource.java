package io.sparkmlp.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Training data from a DataFrame: a features column of Spark ML vectors (dense or sparse, all of
 * one size) and a numeric label column, loaded into the same cached, stacked {@link Block}s as
 * {@link DataLoader#load} produces from files, with the same validation split, class mapping and
 * standardisation.
 *
 * <p>Row order is the DataFrame's: its partitions in index order, then the rows of each
 * partition in order. Row {@code g} is the row {@code zipWithIndex} would number {@code g}; the
 * blocks are equal ranges of these ids, so the layout depends only on the rows, the seed and the
 * partition count. The rows are read once (one job) and cached as parsed chunks; a DataFrame
 * whose row order is not deterministic (e.g. straight after a shuffle) gives a different, still
 * valid, order per read.
 *
 * <p>Every row is validated; the first invalid row in this order fails the load with an
 * {@link IllegalArgumentException} naming its 0-based position, the column and the value: a null
 * value, a NaN or infinite label or feature, a non-integral class label, or a features vector
 * whose size differs from the column's metadata or from the first row's.
 */
public final class DataFrameSource {
  /** The name parsed chunks carry in place of a file name. */
  private static final String SOURCE = "DataFrame";

  private DataFrameSource() {}

  /**
   * Loads, validates and stacks {@code df}: holds out {@code round(f × N)} rows for validation
   * (seeded, as {@link DataLoader#load}), maps classification labels to the indices of their
   * sorted distinct values (over all rows), and standardises with the training rows' population
   * mean and std when asked. Both parts come back cached, in {@code options.partitions()}
   * blocks each.
   *
   * @param featuresCol a column of {@code org.apache.spark.ml.linalg.Vector}
   * @param labelCol a numeric column; integral values for classification
   * @throws IllegalArgumentException for a missing or mistyped column, an empty DataFrame, an
   *     invalid row, fewer than 2 classes, or a split that leaves no training rows
   */
  public static Split load(org.apache.spark.sql.Dataset<Row> df, String featuresCol,
      String labelCol, Task task, LoadOptions options) {
    return load(df, featuresCol, labelCol, null, null, task, options);
  }

  /**
   * As above, with a sample weight per row from {@code weightCol} (a numeric column, each value
   * finite and {@code >= 0}; null: every row weighs 1), carried into the blocks for the weighted
   * loss and metrics, and the validation rows marked in the data instead of drawn: where
   * {@code validationIndicatorCol} (a boolean column; null: none) is true the row is held out
   * for validation, where false it is trained on. A null indicator fails the load naming the
   * row; setting both the column and a validation fraction is refused. Feature standardisation
   * and target scaling take the false rows only, as with a drawn split.
   */
  public static Split load(org.apache.spark.sql.Dataset<Row> df, String featuresCol,
      String labelCol, String weightCol, String validationIndicatorCol, Task task,
      LoadOptions options) {
    StructType schema = df.schema();
    if (validationIndicatorCol != null) {
      StructField indicator = field(schema, validationIndicatorCol);
      if (!indicator.dataType().equals(DataTypes.BooleanType)) {
        throw new IllegalArgumentException("validation indicator column '"
            + validationIndicatorCol + "' must be boolean, not "
            + indicator.dataType().simpleString());
      }
      if (options.validationFraction() > 0) {
        throw new IllegalArgumentException("validation indicator column '"
            + validationIndicatorCol + "' and validation fraction " + options.validationFraction()
            + " both choose the validation rows: set one of them (the fraction to 0)");
      }
    }
    StructField features = field(schema, featuresCol);
    if (!features.dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("features column '" + featuresCol
          + "' must be of Spark ML's vector type, not " + features.dataType().simpleString());
    }
    StructField label = field(schema, labelCol);
    boolean vectorLabel = label.dataType().equals(SQLDataTypes.VectorType());
    if (vectorLabel && task != Task.REGRESSION) {
      throw new IllegalArgumentException("label column '" + labelCol + "' holds vectors: "
          + "several targets are for regression; a classifier's label is numeric");
    }
    if (!vectorLabel && !(label.dataType() instanceof NumericType)) {
      throw new IllegalArgumentException("label column '" + labelCol + "' must be numeric"
          + (task == Task.REGRESSION ? " or a vector of targets" : "") + ", not "
          + label.dataType().simpleString());
    }
    if (weightCol != null) {
      StructField weight = field(schema, weightCol);
      if (!(weight.dataType() instanceof NumericType)) {
        throw new IllegalArgumentException("weight column '" + weightCol
            + "' must be numeric, not " + weight.dataType().simpleString());
      }
    }
    int numTargets = vectorLabel ? targetCount(df, labelCol) : 1;
    int declaredSize = AttributeGroup.fromStructField(features).size();
    String[] names = weightCol == null ? new String[] {labelCol, featuresCol}
        : new String[] {labelCol, featuresCol, weightCol};
    int[] none = new int[names.length];
    java.util.Arrays.fill(none, -1);
    int[] labelSlot = none.clone();
    labelSlot[0] = 0;
    ParseConfig cfg = new ParseConfig(DataFormat.PARQUET, task, InvalidRowPolicy.FAIL,
        numTargets, true, Math.max(0, declaredSize), null, names, labelSlot, none, 0, 1);
    if (weightCol != null) {
      cfg = cfg.withWeights(weightCol, 2);
    }
    List<org.apache.spark.sql.Column> columns = new ArrayList<>(List.of(
        vectorLabel ? Columns.named(labelCol)
            : Columns.named(labelCol).cast(DataTypes.DoubleType),
        Columns.named(featuresCol)));
    if (weightCol != null) {
      columns.add(Columns.named(weightCol).cast(DataTypes.DoubleType));
    }
    if (validationIndicatorCol != null) {
      columns.add(Columns.named(validationIndicatorCol));
    }
    JavaRDD<ParsedChunk> chunks = df
        .select(columns.toArray(new org.apache.spark.sql.Column[0]))
        .javaRDD()
        .mapPartitions(new PartitionParser(cfg, validationIndicatorCol, columns.size() - 1));
    chunks.setName("spark-mlp parsed DataFrame");
    chunks.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return split(df, chunks, cfg, task, options, validationIndicatorCol != null);
    } finally {
      chunks.unpersist(false);
    }
  }

  private static Split split(org.apache.spark.sql.Dataset<Row> df, JavaRDD<ParsedChunk> chunks,
      ParseConfig cfg, Task task, LoadOptions options, boolean marked) {
    List<ChunkSummary> sums = new ArrayList<>(chunks.map(ParsedChunk::summary).collect());
    sums.sort(ChunkSummary.FILE_ORDER);
    int numFeatures = check(sums, cfg);
    String allZero = DataLoader.allWeightsZero(sums, cfg);
    if (allZero != null) {
      throw new IllegalArgumentException(allZero);
    }
    double[] classes = null;
    if (task == Task.CLASSIFICATION) {
      classes = DataLoader.classLabels(sums);
      if (classes.length < 2) {
        throw new IllegalArgumentException("classification needs at least 2 distinct labels; "
            + "column '" + cfg.columnNames[0] + "' has only " + ParseConfig.classList(classes));
      }
    }
    RowLayout layout = marked
        ? RowLayout.planMarked(sums, chunks.getNumPartitions())
        : RowLayout.plan(sums, chunks.getNumPartitions(), options.validationFraction(),
            options.seed());
    if (layout.numTrain == 0) {
      throw new IllegalArgumentException((marked ? "the validation indicator column"
          : "validation fraction " + options.validationFraction())
          + " leaves no training rows of the " + layout.numRows);
    }
    double[] mean = null;
    double[] std = null;
    if (options.standardize()) {
      double[] shift = DataLoader.firstRow(sums, numFeatures);
      double[][] ms = chunks.map(c -> FeatureStats.ofChunk(c, layout, shift))
          .reduce(FeatureStats::merge).meanStd(shift);
      mean = ms[0];
      std = ms[1];
    }
    String[] targetNames = task == Task.REGRESSION ? targetNames(cfg) : null;
    TargetScaling targets = options.standardizeTargets() && targetNames != null
        ? FeatureStats.targetScaling(chunks, sums, layout, targetNames.length)
        : null;
    boolean sparse = DataLoader.chooseSparse(options.layout(), sums, numFeatures, options.dtype(),
        DataLoader.cacheBytes(df.sparkSession().sparkContext()), SOURCE);
    BlockMaker.Shape shape = new BlockMaker.Shape(numFeatures, options.dtype(), classes != null,
        targetNames == null ? 0 : targetNames.length, sparse, cfg.weighted());
    String fingerprint = fingerprint(cfg, sums, numFeatures);
    Configuration conf = df.sparkSession().sparkContext().hadoopConfiguration();
    Dataset train = DataLoader.build(conf, chunks, layout, BlockMaker.Part.TRAIN, layout.numTrain,
        options.partitions(), shape, mean, std, targets, classes, targetNames, null, 0,
        fingerprint, task, SOURCE + " (train)");
    Dataset validation = null;
    if (layout.numValidation > 0) {
      validation = DataLoader.build(conf, chunks, layout, BlockMaker.Part.VALIDATION,
          layout.numValidation, options.partitions(), shape, mean, std, targets, classes,
          targetNames, null, 0, fingerprint, task, SOURCE + " (validation)");
    }
    return new Split(train, validation);
  }

  /**
   * Raises the first invalid row (in row order) and checks that all vectors have one size;
   * returns that size.
   */
  private static int check(List<ChunkSummary> sums, ParseConfig cfg) {
    long before = 0;
    int width = -1;
    long widthRow = 0;
    for (ChunkSummary c : sums) {
      if (c.failure != null) {
        Problem p = c.failure;
        throw new IllegalArgumentException("invalid row " + (before + p.line - 1)
            + " of the DataFrame (0-based, in DataFrame order): " + p.reason + " (" + p.column
            + ", value '" + p.value + "')");
      }
      if (c.rows > 0 && width >= 0 && c.width != width) {
        throw new IllegalArgumentException("invalid row " + before
            + " of the DataFrame (0-based, in DataFrame order): its features vector has "
            + c.width + " elements, row " + widthRow + "'s has " + width + " (column '"
            + cfg.columnNames[1] + "')");
      }
      if (c.rows > 0 && width < 0) {
        width = c.width;
        widthRow = before;
      }
      before += c.rows;
    }
    if (before == 0) {
      throw new IllegalArgumentException("the DataFrame has no rows");
    }
    if (width == 0) {
      throw new IllegalArgumentException("the features vectors of column '" + cfg.columnNames[1]
          + "' have no elements");
    }
    return width;
  }

  /**
   * Hex SHA-256 over the column names, the feature count, each partition's row count and first
   * row: identifies the data set for checkpoints cheaply, without hashing every value.
   */
  private static String fingerprint(ParseConfig cfg, List<ChunkSummary> sums, int numFeatures) {
    StringBuilder sb = new StringBuilder("spark-mlp DataFrame v1\n")
        .append(cfg.columnNames[0]).append('\t').append(cfg.columnNames[1]).append('\t')
        .append(numFeatures).append('\n');
    if (cfg.weighted()) {
      sb.append("weights\t").append(cfg.weightName).append('\n');
    }
    for (ChunkSummary c : sums) {
      sb.append(c.rows);
      if (c.rows > 0) {
        for (double v : c.firstRowDense(numFeatures)) {
          sb.append('\t').append(v);
        }
      }
      sb.append('\n');
    }
    return Fingerprint.of(sb);
  }

  /**
   * The size of the first non-null vector of a vector label column (one small job): the number
   * of targets, which every row must then have.
   */
  private static int targetCount(org.apache.spark.sql.Dataset<Row> df, String labelCol) {
    List<Row> first = df.select(Columns.named(labelCol)).na().drop().limit(1)
        .collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("the DataFrame has no rows with a label vector in '"
          + labelCol + "'");
    }
    int k = ((Vector) first.get(0).get(0)).size();
    if (k == 0) {
      throw new IllegalArgumentException("the label vectors of column '" + labelCol
          + "' have no elements");
    }
    return k;
  }

  /** {@code label} for one target, {@code label[0]}, {@code label[1]}, ... for a vector. */
  private static String[] targetNames(ParseConfig cfg) {
    if (cfg.numLabels == 1) {
      return new String[] {cfg.columnNames[0]};
    }
    String[] names = new String[cfg.numLabels];
    for (int k = 0; k < names.length; k++) {
      names[k] = cfg.columnNames[0] + "[" + k + "]";
    }
    return names;
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("column '" + name + "' does not exist (columns: "
        + String.join(", ", schema.fieldNames()) + ")");
  }

  /**
   * Parses one partition's (label, features) rows into one chunk whose start is the partition
   * index, so chunks sort into DataFrame order; stops at the first invalid row.
   *
   * @param indicatorCol the validation indicator column's name (the third selected column), or
   *     null
   * @param indicatorIndex the indicator's index in the selected row (used when named)
   */
  record PartitionParser(ParseConfig cfg, String indicatorCol, int indicatorIndex)
      implements FlatMapFunction<Iterator<Row>, ParsedChunk> {

    @Override
    public Iterator<ParsedChunk> call(Iterator<Row> it) {
      TaskContext tc = TaskContext.get();
      int partition = tc == null ? 0 : tc.partitionId();
      ChunkBuilder chunk = new ChunkBuilder(cfg, SOURCE, partition, true);
      int size = cfg.featureLimit > 0 ? cfg.featureLimit : -1;
      long index = 0;
      java.util.BitSet heldOut = new java.util.BitSet();
      while (it.hasNext() && !chunk.failed()) {
        Row r = it.next();
        index++;
        try {
          RowBuffer row = chunk.row();
          label(r, row.labels);
          size = vector(r, row, size);
          if (cfg.weighted()) {
            row.weight = weight(r);
          }
          boolean held = indicatorCol != null && heldOut(r);
          chunk.commit();
          heldOut.set((int) index - 1, held);
        } catch (RowError e) {
          chunk.reject(e, index, -1, true);
        }
      }
      ParsedChunk built = chunk.build(partition, 0);
      if (indicatorCol != null) {
        built = built.withHeldOut(java.util.Arrays.copyOf(heldOut.toLongArray(),
            (built.rows + 63) >>> 6));
      }
      return List.of(built).iterator();
    }

    /** The row's validation indicator: true, held out for validation. */
    private boolean heldOut(Row r) throws RowError {
      if (r.isNullAt(indicatorIndex)) {
        throw new RowError("null validation indicator", "column '" + indicatorCol + "'", "null");
      }
      return r.getBoolean(indicatorIndex);
    }

    private String column(int c) {
      return "column '" + cfg.columnNames[c] + "'";
    }

    /** The row's label, or its vector of targets, into {@code out} (numLabels values). */
    private void label(Row r, double[] out) throws RowError {
      if (r.isNullAt(0)) {
        throw new RowError("null label", column(0), "null");
      }
      Object v = r.get(0);
      if (v instanceof Vector vec) {
        if (vec.size() != out.length) {
          throw new RowError("label vector has " + vec.size() + " elements, the first row's "
              + out.length, column(0), "size " + vec.size());
        }
        for (int k = 0; k < out.length; k++) {
          double y = vec.apply(k);
          if (!Double.isFinite(y)) {
            throw new RowError("target is NaN or infinite", column(0),
                "element " + k + " = " + y);
          }
          out[k] = y + 0.0;
        }
        return;
      }
      double y = r.getDouble(0);
      if (!Double.isFinite(y)) {
        throw new RowError("label is NaN or infinite", column(0), Double.toString(y));
      }
      out[0] = cfg.checkLabelValue(y + 0.0, column(0), null, 0, 0);
    }

    private double weight(Row r) throws RowError {
      if (r.isNullAt(cfg.weightColumn)) {
        throw new RowError("null sample weight", cfg.weightWhere(), "null");
      }
      return cfg.checkWeight(r.getDouble(cfg.weightColumn) + 0.0, null);
    }

    /** Adds the row's features; returns the vector size every later row must have. */
    private int vector(Row r, RowBuffer row, int size) throws RowError {
      if (r.isNullAt(1)) {
        throw new RowError("null features vector", column(1), "null");
      }
      Vector v = (Vector) r.get(1);
      if (size >= 0 && v.size() != size) {
        throw new RowError("features vector has " + v.size() + " elements, expected " + size
            + (cfg.featureLimit > 0 ? " (the column's metadata)" : " as in earlier rows"),
            column(1), "size " + v.size());
      }
      if (v instanceof SparseVector) {
        SparseVector sv = (SparseVector) v;
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          add(row, idx[k], val[k]);
        }
      } else {
        double[] val = v.toArray();
        for (int k = 0; k < val.length; k++) {
          if (val[k] != 0.0 || Double.isNaN(val[k])) {
            add(row, k, val[k]);
          }
        }
      }
      row.width = v.size();
      return v.size();
    }

    private void add(RowBuffer row, int index, double value) throws RowError {
      if (!Double.isFinite(value)) {
        throw new RowError("feature value is NaN or infinite", column(1),
            "element " + index + " = " + value);
      }
      row.add(index, value + 0.0);
    }
  }
}
