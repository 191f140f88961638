package io.sparkmlp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.nn.Dtype;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Collects a data set's blocks on the driver and flattens them for comparisons. */
final class TestBlocks {
  static final String DATA = "data-samples/";

  final List<Block> blocks;
  final double[] x;
  final int[] labels;
  final double[] targets;
  final int numFeatures;

  private TestBlocks(List<Block> blocks, double[] x, int[] labels, double[] targets,
      int numFeatures) {
    this.blocks = blocks;
    this.x = x;
    this.labels = labels;
    this.targets = targets;
    this.numFeatures = numFeatures;
  }

  /** Collects {@code d}'s blocks and checks the layout contract. */
  static TestBlocks of(Dataset d) {
    List<Block> blocks = new ArrayList<>(d.blocks().collect());
    blocks.sort(Comparator.comparingInt(Block::partition));
    assertEquals(d.numPartitions(), blocks.size(), "one block per partition");
    long[] rows = d.partitionRows();
    long next = 0;
    int f = d.numFeatures();
    double[] x = new double[(int) (d.numRows() * f)];
    int[] labels = d.numClasses() > 0 ? new int[(int) d.numRows()] : null;
    int k = d.numTargets();
    double[] targets = k > 0 ? new double[(int) d.numRows() * k] : null;
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      assertEquals(i, b.partition());
      assertEquals(next, b.firstRow(), "blocks cover the ids in order");
      assertEquals(rows[i], b.rows());
      assertEquals(f, b.numFeatures());
      assertEquals(d.dtype(), b.dtype());
      int at = (int) next;
      if (b.isSparse()) {
        assertEquals(d.sparse(), true);
        for (int r = 0; r < b.rows(); r++) {
          b.sparse().denseRow(r, x, (at + r) * f);
        }
        assertEquals(null, b.x32());
        assertEquals(null, b.x64());
      } else {
        for (int j = 0; j < b.rows() * f; j++) {
          x[at * f + j] = b.dtype() == Dtype.FLOAT32 ? b.x32()[j] : b.x64()[j];
        }
      }
      if (b.isSparse()) {
        assertEquals(d.dtype() == Dtype.FLOAT32, b.sparse().values32() != null);
      } else if (b.dtype() == Dtype.FLOAT32) {
        assertEquals(null, b.x64());
      } else {
        assertEquals(null, b.x32());
      }
      if (labels != null) {
        System.arraycopy(b.labels(), 0, labels, at, b.rows());
      } else {
        assertEquals(null, b.labels());
      }
      if (targets != null) {
        for (int j = 0; j < b.rows() * k; j++) {
          targets[at * k + j] =
              b.dtype() == Dtype.FLOAT32 ? b.targets32()[j] : b.targets64()[j];
        }
      } else {
        assertEquals(null, b.targets32());
        assertEquals(null, b.targets64());
      }
      next += b.rows();
    }
    assertEquals(d.numRows(), next);
    return new TestBlocks(blocks, x, labels, targets, f);
  }

  /** Bit-identical contents, whatever the partitioning. */
  static void assertSameData(Dataset a, Dataset b) {
    TestBlocks ta = of(a);
    TestBlocks tb = of(b);
    assertEquals(a.numRows(), b.numRows());
    assertEquals(a.numFeatures(), b.numFeatures());
    assertArrayEquals(ta.x, tb.x);
    assertArrayEquals(ta.labels, tb.labels);
    assertArrayEquals(ta.targets, tb.targets);
    assertArrayEquals(a.classLabels(), b.classLabels());
    assertArrayEquals(a.featureMean(), b.featureMean());
    assertArrayEquals(a.featureStd(), b.featureStd());
  }

  static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  static Path writeGz(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  /** The CSV data set's rows as numbers (header dropped). */
  static double[][] readCsv(String path) throws IOException {
    List<String> lines = Files.readAllLines(Path.of(path));
    double[][] out = new double[lines.size() - 1][];
    for (int i = 1; i < lines.size(); i++) {
      String[] p = lines.get(i).split(",");
      out[i - 1] = new double[p.length];
      for (int j = 0; j < p.length; j++) {
        out[i - 1][j] = Double.parseDouble(p[j]);
      }
    }
    return out;
  }

}
