package io.sparkmlp.data;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.SparseRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

/**
 * Turns parsed chunks into stacked blocks of one part (training, validation or all rows),
 * range-partitioned by row id. Map side: each chunk's rows of the part form a contiguous id
 * range, cut at the partition boundaries into a few pieces (already standardised and in the
 * compute dtype). Reduce side: a partition's pieces, sorted by first row, are concatenated. The
 * layout therefore depends only on the row ids and the partition count, never on the splits.
 *
 * <p>Sparse blocks ({@link Shape#sparse}) keep only non-zero values, in CSR; standardisation
 * stores {@code x/σ} and the centre {@code μ/σ} (see {@link SparseRows}), so zeros stay zeros.
 */
final class BlockMaker implements PairFlatMapFunction<ParsedChunk, Integer, Block> {
  private static final long serialVersionUID = 1L;

  /** Which rows of a chunk go into the part being built. */
  enum Part { TRAIN, VALIDATION }

  private final RowLayout layout;
  private final Part part;
  private final long[] starts;
  private final Shape shape;
  private final Standardization standardization;
  /** How targets are stored: standardised ({@link TargetScaling}) or as they are. */
  private final Standardization targets;
  private final double[] classLabels;

  /**
   * Block shape shared by map and reduce side.
   *
   * @param sparse features in CSR rather than dense arrays
   * @param weighted rows carry sample weights ({@link Block#rowWeights()})
   */
  record Shape(int numFeatures, Dtype dtype, boolean classLabels, int numTargets, boolean sparse,
      boolean weighted) implements Serializable {}

  BlockMaker(RowLayout layout, Part part, long[] starts, Shape shape, double[] mean,
      double[] std, TargetScaling targets, double[] classLabels) {
    this.layout = layout;
    this.part = part;
    this.starts = starts;
    this.shape = shape;
    this.standardization = Standardization.of(mean, std);
    this.targets = targets == null ? Standardization.NONE : targets.standardization();
    this.classLabels = classLabels;
  }

  private boolean inPart(long g) {
    return layout.isValidation(g) == (part == Part.VALIDATION);
  }

  @Override
  public Iterator<Tuple2<Integer, Block>> call(ParsedChunk c) {
    long g0 = layout.base[c.partition][c.seq];
    long first = part == Part.TRAIN ? layout.trainBase[c.partition][c.seq]
        : layout.valBase[c.partition][c.seq];
    long inVal = layout.valBits == null ? 0 : RowLayout.countBits(layout.valBits, g0, g0 + c.rows);
    long count = part == Part.TRAIN ? c.rows - inVal : inVal;
    if (count == 0) {
      return Collections.emptyIterator();
    }
    long end = first + count;
    int dest = Arrays.binarySearch(starts, first);
    dest = dest >= 0 ? dest : -dest - 2;
    while (starts[dest + 1] <= first) {
      dest++; // skip empty partitions starting at the same id
    }
    int f = shape.numFeatures();
    boolean f32 = shape.dtype() == Dtype.FLOAT32;
    List<Tuple2<Integer, Block>> out = new ArrayList<>();
    double[] row = shape.sparse() ? null : new double[f];
    int r = 0;
    long id = first;
    while (id < end) {
      long pieceEnd = Math.min(end, starts[dest + 1]);
      int n = (int) (pieceEnd - id);
      if (n == 0) {
        dest++;
        continue;
      }
      boolean sparse = shape.sparse();
      float[] x32 = f32 && !sparse ? new float[n * f] : null;
      double[] x64 = !f32 && !sparse ? new double[n * f] : null;
      int[] ptr = sparse ? new int[n + 1] : null;
      GrowableArrays.Ints idx = sparse ? new GrowableArrays.Ints(16 * n) : null;
      GrowableArrays.Doubles val = sparse ? new GrowableArrays.Doubles(16 * n) : null;
      int[] labels = shape.classLabels() ? new int[n] : null;
      int k = shape.numTargets();
      float[] t32 = k > 0 && f32 ? new float[n * k] : null;
      double[] t64 = k > 0 && !f32 ? new double[n * k] : null;
      double[] w = shape.weighted() ? new double[n] : null;
      double[] y = new double[k];
      for (int i = 0; i < n; i++, r++) {
        while (!inPart(g0 + r)) {
          r++;
        }
        if (w != null) {
          w[i] = c.weights[r];
        }
        if (sparse) {
          addSparseRow(c, r, idx, val);
          ptr[i + 1] = idx.size();
        } else {
          c.denseRow(r, row);
          standardization.putDense(row, i * f, x32, x64);
        }
        if (labels != null) {
          int cls = Arrays.binarySearch(classLabels, c.labels[r * c.numLabels]);
          if (cls < 0) {
            throw new IllegalStateException("label not in the class mapping");
          }
          labels[i] = cls;
        }
        if (k > 0) {
          System.arraycopy(c.labels, r * c.numLabels, y, 0, k);
          targets.putDense(y, i * k, t32, t64);
        }
      }
      Block b = sparse
          ? new Block(dest, id, n, f, shape.dtype(), sparseRows(n, ptr, idx, val), labels, t32, t64,
              k)
          : new Block(dest, id, n, f, shape.dtype(), x32, x64, labels, t32, t64, k);
      out.add(new Tuple2<>(dest, b.withRowWeights(w)));
      id = pieceEnd;
      dest++;
    }
    return out.iterator();
  }

  /** Appends row {@code r}'s non-zero features, scaled by 1/σ when standardising. */
  private void addSparseRow(ParsedChunk c, int r, GrowableArrays.Ints idx,
      GrowableArrays.Doubles val) {
    if (c.sparse) {
      for (int p = c.rowPtr[r]; p < c.rowPtr[r + 1]; p++) {
        addValue(c.idx[p], c.val[p], idx, val);
      }
    } else {
      int at = r * c.width;
      for (int j = 0; j < c.width; j++) {
        addValue(j, c.dense[at + j], idx, val);
      }
    }
  }

  private void addValue(int j, double v, GrowableArrays.Ints idx, GrowableArrays.Doubles val) {
    if (v != 0.0) {
      idx.add(j);
      val.add(standardization.sparseValue(j, v));
    }
  }

  private SparseRows sparseRows(int n, int[] ptr, GrowableArrays.Ints idx,
      GrowableArrays.Doubles val) {
    int f = shape.numFeatures();
    double[] v = val.toArray();
    if (shape.dtype() == Dtype.FLOAT64) {
      return SparseRows.of64(n, f, ptr, idx.toArray(), v, standardization.center());
    }
    float[] v32 = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      v32[i] = (float) v[i];
    }
    return SparseRows.of32(n, f, ptr, idx.toArray(), v32, standardization.center());
  }

  /** Sends piece key i to partition i. */
  static final class ByIndex extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ByIndex(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByIndex && ((ByIndex) o).n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  /** Reduce side: concatenates the pieces of partition i into its one block. */
  static final class Assemble
      implements Function2<Integer, Iterator<Tuple2<Integer, Block>>, Iterator<Block>> {
    private static final long serialVersionUID = 1L;
    private final long[] starts;
    private final Shape shape;
    private final double[] center;

    Assemble(long[] starts, Shape shape, double[] center) {
      this.starts = starts;
      this.shape = shape;
      this.center = center;
    }

    @Override
    public Iterator<Block> call(Integer i, Iterator<Tuple2<Integer, Block>> it) {
      List<Block> pieces = new ArrayList<>();
      while (it.hasNext()) {
        pieces.add(it.next()._2());
      }
      pieces.sort((a, b) -> Long.compare(a.firstRow(), b.firstRow()));
      long expected = starts[i + 1] - starts[i];
      Block b = pieces.isEmpty()
          ? Block.empty(i, starts[i], shape.numFeatures(), shape.dtype(), shape.classLabels(),
              shape.numTargets(), shape.sparse(), center, shape.weighted())
          : Block.concat(i, starts[i], shape.numFeatures(), shape.dtype(), shape.classLabels(),
              shape.numTargets(), pieces);
      if (b.rows() != expected) {
        throw new IllegalStateException(
            "block " + i + " has " + b.rows() + " rows, expected " + expected);
      }
      return Collections.singletonList(b).iterator();
    }
  }
}
