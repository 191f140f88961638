package io.sparkmlp.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Parquet through {@code spark.read().parquet} (any FileSystem, partitioned directories).
 *
 * <p>Features: a column named {@code features} of Spark ML's vector type (dense or sparse; every
 * row must have the same size), if there is one; otherwise the numeric columns other than the
 * label columns (non-numeric columns are ignored and logged): those the spec names, in its
 * order (a model's training columns; any other numeric column is an error), or all of them in
 * schema order. Row order: files
 * by path, then record order, from the {@code _metadata.file_path} and {@code _metadata.row_index}
 * columns; errors name the file and the 1-based record number.
 */
final class ParquetSource {
  private static final Logger LOG = LoggerFactory.getLogger("io.sparkmlp.data");

  private ParquetSource() {}

  /**
   * Plans and starts the read: the config the tasks parse with, and the chunks.
   *
   * @param readLabels whether label columns are read (when false they may be absent)
   * @param expectedFeatures the feature count required (vector size or column count), or 0
   */
  static Result read(SparkSession spark, DataSpec spec, Task task, boolean readLabels,
      int expectedFeatures, double[] knownClasses, String firstFile) {
    org.apache.spark.sql.Dataset<Row> df;
    try {
      df = spark.read().parquet(InputFiles.literalPattern(spec.path(),
          spark.sparkContext().hadoopConfiguration()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + spec.path() + ": " + e, e);
    }
    StructType schema = df.schema();
    List<Column> select = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> labels = spec.labelCols();
    int numLabels = 0;
    for (String l : labels) {
      StructField f = field(schema, l);
      if (f == null) {
        if (readLabels) {
          throw DataFormatException.atLine("label column '" + l + "' not found (columns: "
              + String.join(", ", schema.fieldNames()) + ")", firstFile, -1, "column '" + l + "'",
              null);
        }
        continue;
      }
      if (readLabels) {
        if (!(f.dataType() instanceof NumericType)) {
          throw DataFormatException.atLine("label column '" + l + "' is not numeric",
              firstFile, -1, "column '" + l + "'", f.dataType().simpleString());
        }
        select.add(Columns.named(l));
        names.add(l);
        numLabels++;
      }
    }
    StructField vec = field(schema, "features");
    int vectorColumn = -1;
    int denseWidth = 0;
    DataType vectorType = SQLDataTypes.VectorType();
    if (vec != null && !labels.contains("features") && vec.dataType().equals(vectorType)) {
      vectorColumn = select.size();
      select.add(Columns.named("features"));
      names.add("features");
    } else {
      List<String> ignored = new ArrayList<>();
      List<String> numeric = new ArrayList<>();
      for (StructField f : schema.fields()) {
        if (labels.contains(f.name()) || f.name().equals(spec.weightCol())) {
          continue;
        }
        if (f.dataType() instanceof NumericType) {
          numeric.add(f.name());
        } else {
          ignored.add(f.name() + ":" + f.dataType().simpleString());
        }
      }
      if (!ignored.isEmpty()) {
        LOG.info("Parquet input {}: ignoring non-numeric columns {}", spec.path(), ignored);
      }
      List<String> features = spec.featureNames() == null ? numeric
          : byName(numeric, spec.featureNames(), schema, firstFile);
      for (String name : features) {
        select.add(Columns.named(name));
        names.add(name);
        denseWidth++;
      }
      if (denseWidth == 0) {
        throw DataFormatException.atLine("no feature columns: expected a 'features' vector column"
            + " or numeric columns (columns: " + schema.simpleString() + ")", firstFile, -1, null,
            null);
      }
      if (expectedFeatures > 0 && denseWidth != expectedFeatures) {
        throw DataFormatException.atLine("the Parquet schema has " + denseWidth
            + " numeric feature columns, expected " + expectedFeatures, firstFile, -1, null,
            schema.simpleString());
      }
    }
    int weightColumn = -1;
    if (spec.weightCol() != null && readLabels) {
      StructField w = field(schema, spec.weightCol());
      if (w == null || !(w.dataType() instanceof NumericType)) {
        throw DataFormatException.atLine("weight column '" + spec.weightCol() + "' "
            + (w == null ? "not found (columns: " + String.join(", ", schema.fieldNames()) + ")"
                : "is not numeric"), firstFile, -1, "column '" + spec.weightCol() + "'",
            w == null ? null : w.dataType().simpleString());
      }
      weightColumn = select.size();
      select.add(Columns.named(spec.weightCol()));
      names.add(spec.weightCol());
    }
    int dataCols = select.size();
    int[] labelSlot = new int[dataCols];
    int[] featureSlot = new int[dataCols];
    for (int c = 0; c < dataCols; c++) {
      labelSlot[c] = c < numLabels ? c : -1;
      featureSlot[c] = c >= numLabels && vectorColumn < 0 && c != weightColumn
          ? c - numLabels : -1;
    }
    select.add(functions.col("_metadata.file_path"));
    select.add(functions.col("_metadata.row_index"));
    ParseConfig cfg = new ParseConfig(DataFormat.PARQUET, task, spec.onInvalid(), numLabels,
        readLabels, vectorColumn >= 0 ? expectedFeatures : 0, knownClasses,
        names.toArray(new String[0]), labelSlot, featureSlot, denseWidth, vectorColumn);
    if (weightColumn >= 0) {
      cfg = cfg.withWeights(spec.weightCol(), weightColumn);
    }
    JavaRDD<ParsedChunk> chunks = df.select(select.toArray(new Column[0])).javaRDD()
        .mapPartitions(new PartitionParser(cfg, dataCols));
    return new Result(cfg, chunks);
  }

  /**
   * The model's feature columns {@code wanted}, checked against the file's numeric non-label
   * columns: a missing, non-numeric or extra column is an error naming it.
   */
  private static List<String> byName(List<String> numeric, List<String> wanted,
      StructType schema, String firstFile) {
    for (String name : wanted) {
      StructField f = field(schema, name);
      if (f == null || !numeric.contains(name)) {
        throw DataFormatException.atLine((f == null ? "the model's feature column '" + name
            + "' is missing" : "feature column '" + name + "' is not numeric")
            + " (features are matched by name; the model's: " + String.join(",", wanted)
            + "; columns: " + String.join(", ", schema.fieldNames()) + ")", firstFile, -1,
            "column '" + name + "'", f == null ? null : f.dataType().simpleString());
      }
    }
    for (String name : numeric) {
      if (!wanted.contains(name)) {
        throw DataFormatException.atLine("numeric column '" + name + "' is not a feature of "
            + "the model (features are matched by name; the model's: " + String.join(",", wanted)
            + ")", firstFile, -1, "column '" + name + "'", null);
      }
    }
    return wanted;
  }

  /** The parse config and the chunk RDD. */
  static final class Result {
    final ParseConfig config;
    final JavaRDD<ParsedChunk> chunks;

    Result(ParseConfig config, JavaRDD<ParsedChunk> chunks) {
      this.config = config;
      this.chunks = chunks;
    }
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** Parses one partition's records into chunks, one per run of consecutive records of a file. */
  record PartitionParser(ParseConfig cfg, int dataCols)
      implements FlatMapFunction<Iterator<Row>, ParsedChunk> {

    @Override
    public Iterator<ParsedChunk> call(Iterator<Row> it) {
      TaskContext tc = TaskContext.get();
      int partition = tc == null ? 0 : tc.partitionId();
      List<ParsedChunk> out = new ArrayList<>();
      boolean sparse = cfg.vectorColumn >= 0;
      ChunkBuilder chunk = null;
      String file = null;
      long expected = -1;
      int vectorSize = -1;
      while (it.hasNext()) {
        Row r = it.next();
        String f = r.getString(dataCols);
        long index = r.getLong(dataCols + 1);
        if (chunk == null || index != expected || !f.equals(file)) {
          if (chunk != null) {
            out.add(chunk.build(partition, out.size()));
          }
          chunk = new ChunkBuilder(cfg, f, index, sparse);
          file = f;
          vectorSize = cfg.featureLimit > 0 ? cfg.featureLimit : -1;
        }
        expected = index + 1;
        if (chunk.failed()) {
          continue;
        }
        try {
          RowBuffer row = chunk.row();
          for (int c = 0; c < dataCols; c++) {
            if (c == cfg.vectorColumn) {
              vectorSize = vector(r, c, row, vectorSize);
            } else if (c == cfg.weightColumn) {
              if (r.isNullAt(c)) {
                throw new RowError("null sample weight", column(c), "null");
              }
              row.weight = cfg.checkWeight(((Number) r.get(c)).doubleValue() + 0.0, null);
            } else {
              double v = number(r, c);
              if (cfg.labelSlot[c] >= 0) {
                row.labels[cfg.labelSlot[c]] = cfg.checkLabelValue(v, column(c), null, 0, 0);
              } else {
                row.dense[cfg.featureSlot[c]] = v;
              }
            }
          }
          chunk.commit();
        } catch (RowError e) {
          chunk.reject(e, index + 1, -1, true);
        }
      }
      if (chunk != null) {
        out.add(chunk.build(partition, out.size()));
      }
      return out.iterator();
    }

    private String column(int c) {
      return "column '" + cfg.columnNames[c] + "'";
    }

    private double number(Row r, int c) throws RowError {
      if (r.isNullAt(c)) {
        throw new RowError("null value", column(c), "null");
      }
      double v = ((Number) r.get(c)).doubleValue();
      if (!Double.isFinite(v)) {
        throw new RowError(cfg.labelSlot[c] >= 0 ? "label is NaN or infinite"
            : "feature value is NaN or infinite", column(c), Double.toString(v));
      }
      return v + 0.0;
    }

    private int vector(Row r, int c, RowBuffer row, int size) throws RowError {
      if (r.isNullAt(c)) {
        throw new RowError("null vector", column(c), "null");
      }
      Vector v = (Vector) r.get(c);
      if (size >= 0 && v.size() != size) {
        throw new RowError("vector has " + v.size() + " elements, expected " + size
            + (cfg.featureLimit > 0 ? "" : " as in earlier rows"), column(c),
            "size " + v.size());
      }
      if (v instanceof SparseVector) {
        SparseVector sv = (SparseVector) v;
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          add(row, c, idx[k], val[k]);
        }
      } else {
        double[] val = v.toArray();
        for (int k = 0; k < val.length; k++) {
          if (val[k] != 0.0 || Double.isNaN(val[k])) {
            add(row, c, k, val[k]);
          }
        }
      }
      row.width = v.size();
      return v.size();
    }

    private void add(RowBuffer row, int c, int index, double value) throws RowError {
      if (!Double.isFinite(value)) {
        throw new RowError("feature value is NaN or infinite", column(c),
            "element " + index + " = " + value);
      }
      row.add(index, value + 0.0);
    }
  }
}
