package io.sparkmlp.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the valid rows of one chunk into flat arrays, applies the invalid-row policy (FAIL:
 * remember the first error and stop; SKIP: count and keep the first few errors), and tracks the
 * distinct class labels.
 */
final class ChunkBuilder {
  /** Errors kept per chunk for the SKIP log. */
  static final int MAX_SAMPLES = 5;
  /** More distinct class labels than this is almost surely a regression target. */
  static final int MAX_CLASSES = 100_000;

  /** Rows of dense input looked at before deciding whether to keep them sparse. */
  static final int PROBE_ROWS = 256;

  private final ParseConfig cfg;
  private final String file;
  private final long start;
  /** Whether rows arrive as a dense array (CSV, Parquet columns) rather than sparse entries. */
  private final boolean denseInput;
  /** Current storage: CSR, or dense row-major. */
  private boolean sparse;
  private final RowBuffer row;
  private final GrowableArrays.Doubles labels;
  /** The rows' sample weights, or null when the data has none. */
  private final GrowableArrays.Doubles weights;
  private GrowableArrays.Doubles dense;
  private GrowableArrays.Ints rowPtr;
  private GrowableArrays.Ints idx;
  private GrowableArrays.Doubles val;
  private int rows;
  private int width;
  private long skipped;
  private final List<Problem> samples = new ArrayList<>();
  private Problem failure;
  private final boolean trackClasses;
  private double[] distinct = new double[8];
  private int numDistinct;
  private double lastLabel = Double.NaN;

  ChunkBuilder(ParseConfig cfg, String file, long start, boolean sparse) {
    this.cfg = cfg;
    this.file = file;
    this.start = start;
    this.sparse = sparse;
    this.denseInput = !sparse;
    this.row = new RowBuffer(cfg.numLabels, cfg.denseWidth, sparse);
    this.labels = new GrowableArrays.Doubles(1024);
    this.weights = cfg.weighted() ? new GrowableArrays.Doubles(1024) : null;
    if (sparse) {
      startSparse();
    } else {
      dense = new GrowableArrays.Doubles(1024 * Math.max(1, cfg.denseWidth));
      width = cfg.denseWidth;
    }
    this.trackClasses = cfg.classification() && cfg.numLabels > 0;
  }

  /** The scratch row, reset, for the parser to fill. */
  RowBuffer row() {
    row.reset();
    return row;
  }

  boolean failed() {
    return failure != null;
  }

  /** Appends the scratch row. */
  void commit() throws RowError {
    if (trackClasses) {
      trackClass(row.labels[0]);
    }
    labels.addAll(row.labels, 0, row.labels.length);
    if (weights != null) {
      weights.add(row.weight);
    }
    if (!denseInput) {
      idx.addAll(row.idx, 0, row.nnz);
      val.addAll(row.val, 0, row.nnz);
      rowPtr.add(idx.size());
      width = Math.max(width, row.width);
    } else if (sparse) {
      double[] x = row.dense;
      for (int j = 0; j < x.length; j++) {
        if (x[j] != 0.0) {
          idx.add(j);
          val.add(x[j]);
        }
      }
      rowPtr.add(idx.size());
    } else {
      dense.addAll(row.dense, 0, row.dense.length);
    }
    rows++;
    if (denseInput && !sparse && rows == PROBE_ROWS) {
      maybeSparsify();
    }
  }

  private void startSparse() {
    rowPtr = new GrowableArrays.Ints(1024);
    idx = new GrowableArrays.Ints(16 * 1024);
    val = new GrowableArrays.Doubles(16 * 1024);
    rowPtr.add(0);
  }

  /**
   * Dense input that is mostly zeros (pixel data in CSV, say) is kept in CSR: 12 bytes per
   * non-zero instead of 8 per cell, so it costs less memory once under half the cells are set.
   * The values, and everything computed from them, are the same either way.
   */
  private void maybeSparsify() {
    int cells = dense.size();
    int nnz = 0;
    for (int i = 0; i < cells; i++) {
      if (dense.get(i) != 0.0) {
        nnz++;
      }
    }
    if (nnz * 2 >= cells) {
      return;
    }
    startSparse();
    int f = width;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < f; j++) {
        double v = dense.get(r * f + j);
        if (v != 0.0) {
          idx.add(j);
          val.add(v);
        }
      }
      rowPtr.add(idx.size());
    }
    dense = null;
    sparse = true;
  }

  private void trackClass(double v) throws RowError {
    if (v == lastLabel) {
      return;
    }
    int at = Arrays.binarySearch(distinct, 0, numDistinct, v);
    if (at < 0) {
      if (numDistinct == MAX_CLASSES) {
        throw new RowError("more than " + MAX_CLASSES
            + " distinct class labels: is this a regression target (--task regression)?", null,
            ParseConfig.fmt(v), true);
      }
      at = -at - 1;
      if (numDistinct == distinct.length) {
        distinct = Arrays.copyOf(distinct, numDistinct * 2);
      }
      System.arraycopy(distinct, at, distinct, at + 1, numDistinct - at);
      distinct[at] = v;
      numDistinct++;
    }
    lastLabel = v;
  }

  /**
   * Handles an invalid row at a 1-based line/record number ({@code line > 0}) or, when the line is
   * not known in the task, at a byte offset.
   */
  void reject(RowError e, long line, long offset, boolean record) {
    Problem dfe = new Problem(e.getMessage(), file, line > 0 ? line : -1, line > 0 ? -1 : offset,
        record, e.column, e.value);
    if (e.fatal || cfg.policy == InvalidRowPolicy.FAIL) {
      failure = dfe;
      return;
    }
    skipped++;
    if (samples.size() < MAX_SAMPLES) {
      samples.add(dfe);
    }
  }

  ParsedChunk build(int partition, int seq) {
    return new ParsedChunk(partition, seq, file, start, rows, cfg.numLabels, labels.toArray(),
        sparse, width, sparse ? null : dense.toArray(), sparse ? rowPtr.toArray() : null,
        sparse ? idx.toArray() : null, sparse ? val.toArray() : null, skipped,
        new ArrayList<>(samples), failure,
        trackClasses ? Arrays.copyOf(distinct, numDistinct) : null,
        weights == null ? null : weights.toArray());
  }
}
