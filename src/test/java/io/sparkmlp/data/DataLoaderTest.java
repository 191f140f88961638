package io.sparkmlp.data;

import static io.sparkmlp.data.TestBlocks.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Dtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the real data sets: values, layout, determinism, splits, standardisation. */
class DataLoaderTest {
  private static final String SPLIT_MAX = "mapreduce.input.fileinputformat.split.maxsize";

  @TempDir Path tmp;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static Split load(DataSpec spec, LoadOptions o) {
    return DataLoader.load(spark(), spec, o);
  }

  private static LoadOptions f64(int partitions) {
    return LoadOptions.defaults().withDtype(Dtype.FLOAT64).withPartitions(partitions);
  }

  @Test
  void digitsValuesMatchTheCsvAndLibsvmIsIdentical() throws Exception {
    double[][] csv = TestBlocks.readCsv(DATA + "digits.csv");
    Split s = load(DataSpec.of(DATA + "digits.csv"), f64(3));
    Dataset d = s.train();
    assertNull(s.validation());
    assertEquals(1797, d.numRows());
    assertEquals(64, d.numFeatures());
    assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, d.classLabels());
    assertNull(d.targetNames());
    assertNull(d.featureMean());
    assertArrayEquals(new long[] {599, 599, 599}, d.partitionRows());
    assertEquals(64, d.fingerprint().length());
    TestBlocks b = TestBlocks.of(d);
    for (int r = 0; r < 1797; r++) {
      assertEquals((int) csv[r][0], b.labels[r]);
      for (int j = 0; j < 64; j++) {
        assertEquals(csv[r][j + 1], b.x[r * 64 + j]);
      }
    }
    Dataset lib = load(DataSpec.of(DATA + "digits.libsvm").withNumFeatures(64), f64(3)).train();
    TestBlocks.assertSameData(d, lib);
    d.unpersist();
    lib.unpersist();

    LoadOptions o = f64(3).withValidationFraction(0.2).withSeed(5).withStandardize(true);
    Split a = load(DataSpec.of(DATA + "digits.csv"), o);
    Split c = load(DataSpec.of(DATA + "digits.libsvm"), o);
    assertEquals(359, a.validation().numRows());
    assertEquals(1438, a.train().numRows());
    TestBlocks.assertSameData(a.train(), c.train());
    TestBlocks.assertSameData(a.validation(), c.validation());
    assertEquals(a.train().fingerprint(), a.validation().fingerprint());
    assertNotEquals(a.train().fingerprint(), c.train().fingerprint());
    a.unpersist();
    c.unpersist();
  }

  @Test
  void irisAndFloat32IsTheRoundedDouble() throws Exception {
    double[][] csv = TestBlocks.readCsv(DATA + "iris.csv");
    Dataset d32 = load(DataSpec.of(DATA + "iris.libsvm"), LoadOptions.defaults().withPartitions(2))
        .train();
    assertEquals(Dtype.FLOAT32, d32.dtype());
    assertEquals(150, d32.numRows());
    assertEquals(4, d32.numFeatures());
    assertArrayEquals(new double[] {0, 1, 2}, d32.classLabels());
    TestBlocks b = TestBlocks.of(d32);
    for (int r = 0; r < 150; r++) {
      assertEquals((int) csv[r][0], b.labels[r]);
      for (int j = 0; j < 4; j++) {
        assertEquals((float) csv[r][j + 1], (float) b.x[r * 4 + j]);
      }
    }
    // float32 blocks hold (float) of the float64 values, standardised or not
    for (boolean std : new boolean[] {false, true}) {
      LoadOptions o = LoadOptions.defaults().withPartitions(2).withStandardize(std)
          .withValidationFraction(0.2).withSeed(9);
      Split s32 = load(DataSpec.of(DATA + "digits.csv"), o);
      Split s64 = load(DataSpec.of(DATA + "digits.csv"), o.withDtype(Dtype.FLOAT64));
      for (Dataset[] pair : new Dataset[][] {{s32.train(), s64.train()},
          {s32.validation(), s64.validation()}}) {
        TestBlocks t32 = TestBlocks.of(pair[0]);
        TestBlocks t64 = TestBlocks.of(pair[1]);
        for (int i = 0; i < t64.x.length; i++) {
          assertEquals((float) t64.x[i], (float) t32.x[i]);
          assertEquals(t32.x[i], (double) (float) t32.x[i]);
        }
        assertArrayEquals(t64.labels, t32.labels);
      }
      s32.unpersist();
      s64.unpersist();
    }
  }

  @Test
  void diabetesRegressionSingleAndMultiTarget() throws Exception {
    double[][] csv = TestBlocks.readCsv(DATA + "diabetes.csv");
    DataSpec spec = DataSpec.of(DATA + "diabetes.libsvm").withTask(Task.REGRESSION);
    Dataset lib = load(spec, f64(2)).train();
    assertNull(lib.classLabels());
    assertArrayEquals(new String[] {"label"}, lib.targetNames());
    assertEquals(1, lib.numTargets());
    Dataset fromCsv = load(DataSpec.of(DATA + "diabetes.csv").withTask(Task.REGRESSION), f64(2))
        .train();
    TestBlocks.assertSameData(lib, fromCsv);
    TestBlocks b = TestBlocks.of(lib);
    for (int r = 0; r < 442; r++) {
      assertEquals(csv[r][0], b.targets[r]);
    }
    // Multi-output: labels in the middle of the header, asked in a different order.
    StringBuilder sb = new StringBuilder("y1,f0,f1,f2,f3,f4,y2,f5,f6,f7,f8,f9\n");
    for (double[] row : csv) {
      double y2 = row[0] * 0.5 - row[1];
      sb.append(row[0]);
      for (int j = 0; j < 10; j++) {
        sb.append(',').append(row[j + 1]);
        if (j == 4) {
          sb.append(',').append(y2);
        }
      }
      sb.append('\n');
    }
    Path multi = TestBlocks.write(tmp.resolve("multi.csv"), sb.toString());
    Dataset m = load(DataSpec.of(multi.toString()).withTask(Task.REGRESSION)
        .withLabelCols("y2", "y1"), f64(3)).train();
    assertArrayEquals(new String[] {"y2", "y1"}, m.targetNames());
    assertEquals(10, m.numFeatures());
    TestBlocks mb = TestBlocks.of(m);
    assertArrayEquals(b.x, mb.x);
    for (int r = 0; r < 442; r++) {
      assertEquals(csv[r][0] * 0.5 - csv[r][1], mb.targets[2 * r]);
      assertEquals(csv[r][0], mb.targets[2 * r + 1]);
    }
    Dataset m32 = load(DataSpec.of(multi.toString()).withTask(Task.REGRESSION)
        .withLabelCols("y2", "y1"), LoadOptions.defaults()).train();
    float[] t32 = m32.blocks().first().targets32();
    assertEquals((float) (csv[0][0] * 0.5 - csv[0][1]), t32[0]);
    assertEquals((float) csv[0][0], t32[1]);
  }

  @Test
  void mnistLoadsAndBothFormatsAgree() {
    long t0 = System.nanoTime();
    Dataset lib = load(DataSpec.of(DATA + "mnist10k.libsvm.gz"),
        LoadOptions.defaults().withPartitions(2)).train();
    long t1 = System.nanoTime();
    assertEquals(10000, lib.numRows());
    assertEquals(779, lib.numFeatures(), "inferred from the largest index present");
    assertEquals(10, lib.numClasses());
    lib.unpersist();
    // standardised with a validation part: exercises the sparse statistics path for both
    // (CSV rows this sparse are stored as CSR too)
    LoadOptions o = LoadOptions.defaults().withPartitions(2).withStandardize(true)
        .withValidationFraction(0.2).withSeed(1);
    long t2 = System.nanoTime();
    Split lib784 = load(DataSpec.of(DATA + "mnist10k.libsvm.gz").withNumFeatures(784), o);
    long t3 = System.nanoTime();
    Split csv = load(DataSpec.of(DATA + "mnist10k.csv.gz"), o);
    long t4 = System.nanoTime();
    TestBlocks.assertSameData(lib784.train(), csv.train());
    TestBlocks.assertSameData(lib784.validation(), csv.validation());
    assertEquals(2000, csv.validation().numRows());
    System.out.printf("mnist10k load: libsvm.gz %d ms; standardised + split: libsvm.gz %d ms,"
        + " csv.gz %d ms%n",
        (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
    lib784.unpersist();
    csv.unpersist();
  }

  @Test
  void sameBlocksWhateverTheInputSplitsAndPartitionCount() {
    Configuration hc = spark().sparkContext().hadoopConfiguration();
    LoadOptions o = f64(3).withValidationFraction(0.3).withSeed(17).withStandardize(true);
    for (String file : new String[] {"digits.csv", "digits.libsvm"}) {
      DataSpec spec = DataSpec.of(DATA + file).withNumFeatures(file.endsWith("libsvm") ? 64 : 0);
      Split whole = load(spec, o);
      Split split;
      int splits;
      hc.setLong(SPLIT_MAX, 7000);
      try {
        splits = TextSource.read(JavaSparkContext.fromSparkContext(spark().sparkContext()), hc,
            InputFiles.list(DATA + file, hc),
            ParseConfig.libsvm(Task.CLASSIFICATION, InvalidRowPolicy.FAIL, true, true, 0, null))
            .getNumPartitions();
        split = load(spec, o);
      } finally {
        hc.unset(SPLIT_MAX);
      }
      assertTrue(splits > 30, "input really split: " + splits);
      TestBlocks.assertSameData(whole.train(), split.train());
      TestBlocks.assertSameData(whole.validation(), split.validation());
      // 1 vs 3 vs 7 partitions: the same rows in the same order
      for (int p : new int[] {1, 7}) {
        Split other = load(spec, o.withPartitions(p));
        assertEquals(p, other.train().blocks().getNumPartitions());
        TestBlocks.assertSameData(whole.train(), other.train());
        TestBlocks.assertSameData(whole.validation(), other.validation());
        other.unpersist();
      }
      whole.unpersist();
      split.unpersist();
    }
  }

  @Test
  void validationSplitIsSeededDisjointAndOrdered() throws Exception {
    int n = 1000;
    StringBuilder[] parts = {new StringBuilder("label,id,v\n"), new StringBuilder("label,id,v\n"),
        new StringBuilder("label,id,v\n")};
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      parts[i * 3 / n].append(i % 3).append(',').append(i).append(',').append(r.nextDouble())
          .append('\n');
    }
    // written out of name order: ids must follow the sorted paths
    TestBlocks.write(tmp.resolve("ids/c.csv"), parts[2].toString());
    TestBlocks.write(tmp.resolve("ids/a.csv"), parts[0].toString());
    TestBlocks.write(tmp.resolve("ids/b.csv"), parts[1].toString());
    TestBlocks.write(tmp.resolve("ids/_SUCCESS"), "");
    DataSpec spec = DataSpec.of(tmp.resolve("ids").toString()).withFormat(DataFormat.CSV);
    Split s = load(spec, f64(4).withValidationFraction(0.25).withSeed(11));
    assertEquals(750, s.train().numRows());
    assertEquals(250, s.validation().numRows());
    long[] trainIds = ids(s.train());
    long[] valIds = ids(s.validation());
    // the documented algorithm: first round(f*N) positions of a partial Fisher-Yates shuffle
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < 250; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    long[] expectedVal = Arrays.stream(Arrays.copyOf(perm, 250)).asLongStream().sorted().toArray();
    assertArrayEquals(expectedVal, valIds);
    List<Long> all = new ArrayList<>();
    for (long id : trainIds) {
      all.add(id);
    }
    for (long id : valIds) {
      all.add(id);
    }
    all.sort(null);
    for (int i = 0; i < n; i++) {
      assertEquals(i, all.get(i), "train and validation are disjoint and cover all rows");
    }
    assertTrue(isAscending(trainIds) && isAscending(valIds));
    s.unpersist();
    Split t = load(spec, f64(2).withValidationFraction(0.1234).withSeed(12));
    assertEquals(123, t.validation().numRows());
    assertEquals(877, t.train().numRows());
    assertNotEquals(Arrays.toString(valIds), Arrays.toString(ids(t.validation())));
    t.unpersist();
  }

  private static long[] ids(Dataset d) {
    TestBlocks b = TestBlocks.of(d);
    long[] ids = new long[(int) d.numRows()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) b.x[i * 2];
      assertEquals(ids[i] % 3, d.classLabels()[b.labels[i]]);
    }
    return ids;
  }

  private static boolean isAscending(long[] a) {
    for (int i = 1; i < a.length; i++) {
      if (a[i] <= a[i - 1]) {
        return false;
      }
    }
    return true;
  }

  @Test
  void standardisationMatchesADirectComputation() {
    for (String file : new String[] {"iris.csv", "digits.libsvm"}) {
      DataSpec spec = DataSpec.of(DATA + file).withNumFeatures(file.endsWith("libsvm") ? 64 : 0);
      LoadOptions o = f64(3).withValidationFraction(0.2).withSeed(3);
      Split raw = load(spec, o);
      Split std = load(spec, o.withStandardize(true));
      Split std32 = load(spec, o.withStandardize(true).withDtype(Dtype.FLOAT32));
      TestBlocks x = TestBlocks.of(raw.train());
      int f = x.numFeatures;
      int n = (int) raw.train().numRows();
      double[] mean = std.train().featureMean();
      double[] sd = std.train().featureStd();
      assertArrayEquals(mean, std.validation().featureMean());
      for (int j = 0; j < f; j++) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
          sum += x.x[r * f + j];
        }
        double m = sum / n;
        double ss = 0;
        for (int r = 0; r < n; r++) {
          double d = x.x[r * f + j] - m;
          ss += d * d;
        }
        double s = Math.sqrt(ss / n);
        assertEquals(m, mean[j], 1e-12 * Math.max(1, Math.abs(m)), "mean of feature " + j);
        if (s == 0) {
          assertEquals(1.0, sd[j], "constant feature " + j + " gets std 1");
        } else {
          assertEquals(s, sd[j], 1e-12 * s, "std of feature " + j);
        }
      }
      // applied as (x - mean) / std in double, then cast; validation uses the training stats
      for (Dataset[] pair : new Dataset[][] {{raw.train(), std.train(), std32.train()},
          {raw.validation(), std.validation(), std32.validation()}}) {
        TestBlocks rx = TestBlocks.of(pair[0]);
        TestBlocks sx = TestBlocks.of(pair[1]);
        TestBlocks sx32 = TestBlocks.of(pair[2]);
        for (int i = 0; i < rx.x.length; i++) {
          double v = (rx.x[i] - mean[i % f]) / sd[i % f];
          assertEquals(v, sx.x[i]);
          assertEquals((float) v, (float) sx32.x[i]);
        }
      }
      raw.unpersist();
      std.unpersist();
      std32.unpersist();
    }
  }

  @Test
  void loadLikeSharesMappingAndStandardisation() throws Exception {
    Split ref = load(DataSpec.of(DATA + "digits.csv"),
        LoadOptions.defaults().withPartitions(2).withStandardize(true));
    Dataset reference = ref.train();
    Dataset like = DataLoader.loadLike(spark(), DataSpec.of(DATA + "digits.libsvm"), reference, 3,
        true);
    assertEquals(64, like.numFeatures());
    assertEquals(3, like.numPartitions());
    TestBlocks.assertSameData(reference, like);

    // predict input without labels: CSV without the label column, LibSVM without label token
    double[][] csv = TestBlocks.readCsv(DATA + "digits.csv");
    StringBuilder noLabel = new StringBuilder();
    StringBuilder libNoLabel = new StringBuilder();
    for (int j = 0; j < 64; j++) {
      noLabel.append(j == 0 ? "" : ",").append('f').append(j);
    }
    noLabel.append('\n');
    for (int r = 0; r < 20; r++) {
      for (int j = 0; j < 64; j++) {
        noLabel.append(j == 0 ? "" : ",").append(csv[r][j + 1]);
        if (csv[r][j + 1] != 0) {
          libNoLabel.append(j + 1).append(':').append(csv[r][j + 1]).append(' ');
        }
      }
      noLabel.append('\n');
      libNoLabel.append('\n');
    }
    Path p = TestBlocks.write(tmp.resolve("predict.csv"), noLabel.toString());
    Path q = TestBlocks.write(tmp.resolve("predict.libsvm"), libNoLabel.toString());
    TestBlocks ref20 = TestBlocks.of(reference);
    for (Path in : new Path[] {p, q}) {
      Dataset pred = DataLoader.loadLike(spark(), DataSpec.of(in.toString()), reference, 1, false);
      assertEquals(20, pred.numRows());
      TestBlocks pb = TestBlocks.of(pred);
      assertNull(pb.labels);
      assertArrayEquals(Arrays.copyOf(ref20.x, 20 * 64), pb.x);
      pred.unpersist();
    }
    // the label column, if present in predict input, is not a feature
    Dataset withLabel = DataLoader.loadLike(spark(), DataSpec.of(DATA + "digits.csv"), reference,
        2, false);
    assertArrayEquals(ref20.x, TestBlocks.of(withLabel).x);
    like.unpersist();
    withLabel.unpersist();
    ref.unpersist();
  }

  @Test
  void parquetWithVectorOrNumericColumns() throws Exception {
    Dataset csv = load(DataSpec.of(DATA + "digits.csv"), f64(2)).train();
    double[][] rows = TestBlocks.readCsv(DATA + "digits.csv");
    SparkSession spark = spark();
    List<org.apache.spark.sql.Row> vecRows = new ArrayList<>();
    List<org.apache.spark.sql.Row> numRows = new ArrayList<>();
    for (int r = 0; r < rows.length; r++) {
      double[] x = Arrays.copyOfRange(rows[r], 1, 65);
      org.apache.spark.ml.linalg.Vector v = r % 2 == 0
          ? org.apache.spark.ml.linalg.Vectors.dense(x)
          : org.apache.spark.ml.linalg.Vectors.dense(x).toSparse();
      vecRows.add(org.apache.spark.sql.RowFactory.create((int) rows[r][0], v));
      Object[] vals = new Object[66];
      vals[0] = "row" + r;
      for (int j = 0; j < 64; j++) {
        vals[j + 1] = j % 2 == 0 ? (Object) rows[r][j + 1] : (Object) (int) rows[r][j + 1];
      }
      vals[65] = (long) rows[r][0];
      numRows.add(org.apache.spark.sql.RowFactory.create(vals));
    }
    org.apache.spark.sql.types.StructType vecSchema = new org.apache.spark.sql.types.StructType()
        .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)
        .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
    org.apache.spark.sql.types.StructType numSchema = new org.apache.spark.sql.types.StructType()
        .add("name", org.apache.spark.sql.types.DataTypes.StringType);
    for (int j = 0; j < 64; j++) {
      numSchema = numSchema.add("f" + j, j % 2 == 0 ? org.apache.spark.sql.types.DataTypes.DoubleType
          : org.apache.spark.sql.types.DataTypes.IntegerType);
    }
    numSchema = numSchema.add("y", org.apache.spark.sql.types.DataTypes.LongType);
    String vecDir = tmp.resolve("vec.parquet").toString();
    String numDir = tmp.resolve("num").toString();
    spark.createDataFrame(vecRows, vecSchema).repartition(1).write().parquet(vecDir);
    spark.createDataFrame(numRows, numSchema).write().parquet(numDir);
    Dataset vec = load(DataSpec.of(vecDir), f64(3)).train();
    TestBlocks.assertSameData(csv, vec);
    Dataset num = load(DataSpec.of(numDir).withLabelCols("y"), f64(2)).train();
    assertEquals(64, num.numFeatures());
    TestBlocks.assertSameData(csv, num);
    csv.unpersist();
    vec.unpersist();
    num.unpersist();
  }
  /**
   * A file or directory whose name holds glob characters is read as itself, by this loader,
   * Hadoop's input format and Spark's Parquet reader alike; {@link DataLoader#literalPattern}
   * writes it so that any Hadoop glob matches it alone; a real glob still globs.
   */
  @Test
  void pathsWithGlobCharactersAreReadLiterally() throws Exception {
    Configuration hc = spark().sparkContext().hadoopConfiguration();
    Path dir = tmp.resolve("runs [1]{a,b} *?");
    Path literal = TestBlocks.write(dir.resolve("d?.csv"), "label,x\n0,1\n1,2\n0,3\n");
    TestBlocks.write(tmp.resolve("runs 1a x/dx.csv"), "label,x\n0,1\n");
    TestBlocks.write(dir.resolve("dx.csv"), "label,x\n1,5\n");
    assertEquals(3, load(DataSpec.of(literal.toString()), LoadOptions.defaults()).train()
        .numRows());
    assertEquals(4, load(DataSpec.of(dir.toString()), LoadOptions.defaults()).train().numRows(),
        "the directory, recursively: both of its files");
    String pattern = DataLoader.literalPattern(literal.toString(), hc);
    assertEquals(literal.toString().replaceAll("([\\[\\]{}*?])", "\\\\$1"), pattern);
    assertEquals(3, load(DataSpec.of(pattern), LoadOptions.defaults()).train().numRows());
    String glob = tmp.resolve("runs [1]{a,b} *?/d*.csv").toString();
    assertEquals(glob, DataLoader.literalPattern(glob, hc));

    String parquet = dir.resolve("p [q].parquet").toString(); // Spark writes paths literally
    spark().read().option("header", true).option("inferSchema", true).csv(pattern)
        .coalesce(1).write().parquet(parquet);
    assertEquals(3, load(DataSpec.of(parquet), LoadOptions.defaults()).train().numRows());
  }
}
