package io.sparkmlp.data;

import static io.sparkmlp.data.TestBlocks.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Dtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSR blocks hold exactly the rows the dense blocks hold: from LibSVM (sparse chunks) and CSV
 * (dense chunks), with empty rows and a full row, standardised or not; their cached bytes follow
 * the non-zeros; and {@link InputLayout#AUTO} picks by the measured density.
 */
class SparseBlocksTest {
  @TempDir Path tmp;

  private static Split load(String path, LoadOptions o) {
    return DataLoader.load(SparkTestSession.get(), DataSpec.of(path), o);
  }

  private static LoadOptions f64(int partitions, InputLayout layout) {
    return LoadOptions.defaults().withDtype(Dtype.FLOAT64).withPartitions(partitions)
        .withLayout(layout).withValidationFraction(0.2).withSeed(4);
  }

  @Test
  void sparseBlocksHoldTheDenseRows() throws IOException {
    Path edge = edgeCases();
    for (String file : new String[] {DATA + "digits.libsvm", DATA + "iris.csv",
        edge.toString()}) {
      for (boolean standardize : new boolean[] {false, true}) {
        Split dense = load(file, f64(3, InputLayout.DENSE).withStandardize(standardize));
        Split sparse = load(file, f64(3, InputLayout.SPARSE).withStandardize(standardize));
        assertFalse(dense.train().sparse());
        assertTrue(sparse.train().sparse());
        assertTrue(sparse.validation().sparse());
        for (Dataset[] pair : new Dataset[][] {{dense.train(), sparse.train()},
            {dense.validation(), sparse.validation()}}) {
          TestBlocks d = TestBlocks.of(pair[0]);
          TestBlocks s = TestBlocks.of(pair[1]);
          assertArrayEquals(d.labels, s.labels, file);
          if (!standardize) {
            assertArrayEquals(d.x, s.x, file + ": the same values, bit for bit");
          } else {
            // x/σ − μ/σ against (x − μ)/σ: equal to rounding
            double[] mean = pair[0].featureMean();
            double[] std = pair[0].featureStd();
            int f = d.numFeatures;
            for (int i = 0; i < d.x.length; i++) {
              double scale = Math.max(1.0, Math.abs(mean[i % f] / std[i % f]));
              assertEquals(d.x[i], s.x[i], 1e-14 * scale, file + " element " + i);
            }
          }
        }
        dense.unpersist();
        sparse.unpersist();
      }
    }
  }

  @Test
  void cachedBytesFollowTheNonZeros() {
    for (Dtype dtype : Dtype.values()) {
      LoadOptions o = LoadOptions.defaults().withDtype(dtype).withPartitions(3);
      Split dense = load(DATA + "digits.libsvm", o.withLayout(InputLayout.DENSE));
      Split sparse = load(DATA + "digits.libsvm", o.withLayout(InputLayout.SPARSE));
      TestBlocks d = TestBlocks.of(dense.train());
      long rows = dense.train().numRows();
      long nnz = 0;
      for (double v : d.x) {
        nnz += v != 0.0 ? 1 : 0;
      }
      int b = dtype.bytes();
      assertEquals(rows * d.numFeatures * b + 4 * rows, dense.train().cachedBytes());
      // per block: rowPtr (rows + 1 ints), (index, value) per non-zero, a label per row
      assertEquals(4 * (rows + 3) + nnz * (4 + b) + 4 * rows, sparse.train().cachedBytes(),
          dtype.optionName());
      assertTrue(sparse.train().memorySummary().contains("sparse"));
      dense.unpersist();
      sparse.unpersist();
    }
  }

  @Test
  void autoPicksTheLayoutByDensity() throws IOException {
    Path sparseFile = tmp.resolve("one-percent.libsvm");
    SplittableRandom rng = new SplittableRandom(1);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < 200; r++) {
      sb.append(r % 2);
      for (int j = 1; j <= 500; j++) {
        if (rng.nextDouble() < 0.01 || j == 500 && r == 0) {
          sb.append(' ').append(j).append(':').append(1 + rng.nextInt(9));
        }
      }
      sb.append('\n');
    }
    Files.writeString(sparseFile, sb);
    Split auto = load(sparseFile.toString(), LoadOptions.defaults());
    assertTrue(auto.train().sparse(), "1% density is stored sparse");
    auto.unpersist();
    Split digits = load(DATA + "digits.libsvm", LoadOptions.defaults());
    assertFalse(digits.train().sparse(), "digits (about half non-zero) stays dense");
    digits.unpersist();
  }

  @Test
  void autoAlsoGoesSparseWhenDenseBlocksCannotBeCached() {
    long gib = 1L << 30;
    // 20 % dense: dense while it fits, sparse once it does not (the sparse form is smaller)
    assertFalse(InputLayout.AUTO.sparse(0.2, gib, gib / 2, 4 * gib));
    assertTrue(InputLayout.AUTO.sparse(0.2, 8 * gib, 4 * gib, 4 * gib));
    // 80 % dense: CSR would be larger than dense, so dense even when neither fits
    assertFalse(InputLayout.AUTO.sparse(0.8, 8 * gib, 12 * gib, 4 * gib));
    assertTrue(InputLayout.AUTO.sparse(0.01, gib, gib / 50, 4 * gib));
    assertTrue(InputLayout.SPARSE.sparse(0.9, gib, 2 * gib, 4 * gib));
    assertFalse(InputLayout.DENSE.sparse(0.0001, 8 * gib, gib / 1000, 4 * gib));
  }

  /** Rows of 6 features: an empty row, a full row, explicit zeros, a lone last column. */
  private Path edgeCases() throws IOException {
    Path p = tmp.resolve("edge.libsvm");
    Files.writeString(p, String.join("\n",
        "0",
        "1 1:1 2:2 3:3 4:4 5:5 6:6",
        "0 2:0 3:-1.5",
        "1 6:7",
        "0 1:0.25",
        "1",
        "0 4:2 5:2",
        "1 1:-3 6:1",
        "0 3:0.5",
        "1 2:9 4:1", ""));
    return p;
  }
}
