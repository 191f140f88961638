package io.sparkmlp.data;

import static io.sparkmlp.data.TestBlocks.DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input stops with a message naming the file, line, column/token and value. */
class BadInputTest {
  @TempDir Path tmp;

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static DataFormatException fails(DataSpec spec) {
    return assertThrows(DataFormatException.class,
        () -> DataLoader.load(spark(), spec, LoadOptions.defaults()));
  }

  private DataFormatException failsOn(String name, String content, DataSpec spec)
      throws Exception {
    Path p = TestBlocks.write(tmp.resolve(name), content);
    return fails(spec.withPath(p.toString()));
  }

  private DataFormatException libsvm(String content) throws Exception {
    return failsOn("bad.libsvm", content, DataSpec.of("x"));
  }

  private static void assertAt(DataFormatException e, String fileName, long line, String column,
      String value, String reason) {
    String m = e.getMessage();
    assertTrue(e.file().endsWith(fileName), m);
    assertTrue(m.contains(fileName), m);
    assertEquals(line, e.line(), m);
    if (line > 0) {
      assertTrue(m.contains((e.isRecord() ? "record " : "line ") + line), m);
    }
    assertEquals(column, e.column(), m);
    if (column != null) {
      assertTrue(m.contains(column), m);
    }
    assertEquals(value, e.value(), m);
    if (value != null) {
      assertTrue(m.contains("'" + value + "'"), m);
    }
    assertTrue(e.reason().contains(reason), m);
  }

  private static final String GOOD = "1 1:0.5 3:2\n0 2:1\n";

  @Test
  void malformedLibsvmTokens() throws Exception {
    assertAt(libsvm(GOOD + "1 1:2 3:abc\n"), "bad.libsvm", 3, "token 3", "3:abc",
        "feature value is not a number");
    assertAt(libsvm(GOOD + "\n1 1:2 x\n"), "bad.libsvm", 4, "token 3", "x", "expected index:value");
    assertAt(libsvm(":1\n"), "bad.libsvm", 1, "token 1", ":1", "missing label");
    assertAt(libsvm("1 :1\n"), "bad.libsvm", 1, "token 2", ":1", "expected index:value");
    assertAt(libsvm("1 2:\n"), "bad.libsvm", 1, "token 2", "2:", "expected index:value");
    assertAt(libsvm(GOOD + "1 0:1\n"), "bad.libsvm", 3, "token 2", "0:1", "positive integer");
    assertAt(libsvm("1 -2:1\n"), "bad.libsvm", 1, "token 2", "-2:1", "positive integer");
    assertAt(libsvm("1 a:1\n"), "bad.libsvm", 1, "token 2", "a:1", "positive integer");
    assertAt(libsvm("1 3:1 2:1\n"), "bad.libsvm", 1, "token 3", "2:1",
        "strictly increasing (previous index 3)");
    assertAt(libsvm("1 3:1 3:2\n"), "bad.libsvm", 1, "token 3", "3:2", "strictly increasing");
    assertAt(libsvm(GOOD + "1.5 1:1\n"), "bad.libsvm", 3, "token 1", "1.5",
        "class label must be an integer");
    assertAt(libsvm("abc 1:1\n"), "bad.libsvm", 1, "token 1", "abc", "label is not a number");
    assertAt(libsvm("NaN 1:1\n"), "bad.libsvm", 1, "token 1", "NaN", "label is NaN or infinite");
    assertAt(libsvm("1 1:Infinity\n"), "bad.libsvm", 1, "token 2", "1:Infinity",
        "NaN or infinite");
    assertAt(libsvm("1 1:nan\n"), "bad.libsvm", 1, "token 2", "1:nan", "NaN or infinite");
    assertAt(libsvm("1 1:1e999\n"), "bad.libsvm", 1, "token 2", "1:1e999", "NaN or infinite");
    DataFormatException e = failsOn("limit.libsvm", GOOD + "1 2:1 5:1\n",
        DataSpec.of("x").withNumFeatures(4));
    assertAt(e, "limit.libsvm", 3, "token 3", "5:1", "feature index 5 exceeds the number of"
        + " features (4)");
  }

  @Test
  void labelsMayBeIntegralInAnySpelling() throws Exception {
    Path p = TestBlocks.write(tmp.resolve("labels.libsvm"),
        "3 1:1\n3.0 1:2\n-1 1:3\n+7e0 1:4 # comment\n# only a comment\n\n-0 1:5\n");
    Dataset d = DataLoader.load(spark(), DataSpec.of(p.toString()), LoadOptions.defaults())
        .train();
    assertArrayEquals(new double[] {-1, 0, 3, 7}, d.classLabels());
    assertArrayEquals(new int[] {2, 2, 0, 3, 1}, TestBlocks.of(d).labels);
    d.unpersist();
  }

  @Test
  void badCsv() throws Exception {
    String header = "label,f0,f1,f2\n";
    DataSpec csv = DataSpec.of("x");
    assertAt(failsOn("cols.csv", header + "1,2,3,4\n0,1,2\n", csv), "cols.csv", 3, null,
        "0,1,2", "expected 4 columns as in the header, found 3");
    assertAt(failsOn("num.csv", header + "1,2,3,4\n1,2,abc,4\n", csv), "num.csv", 3,
        "column 'f1'", "abc", "feature value is not a number");
    assertAt(failsOn("empty-field.csv", header + "1,2,,4\n", csv), "empty-field.csv", 2,
        "column 'f1'", "", "not a number");
    assertAt(failsOn("nan.csv", header + "1,NaN,3,4\n", csv), "nan.csv", 2, "column 'f0'", "NaN",
        "NaN or infinite");
    assertAt(failsOn("int.csv", header + "1,2,3,4\n\n2.5,2,3,4\n", csv), "int.csv", 4,
        "column 'label'", "2.5", "class label must be an integer");
    assertAt(failsOn("inf.csv", header + "-Infinity,2,3,4\n",
        csv.withTask(Task.REGRESSION)), "inf.csv", 2, "column 'label'", "-Infinity",
        "target is NaN or infinite");
    DataFormatException e = failsOn("nolabel.csv", header + "1,2,3,4\n",
        csv.withLabelCols("target"));
    assertAt(e, "nolabel.csv", 1, "column 'target'", "label,f0,f1,f2",
        "label column 'target' not found in the CSV header (columns: label,f0,f1,f2)");
    TestBlocks.write(tmp.resolve("two/a.csv"), header + "1,2,3,4\n");
    TestBlocks.write(tmp.resolve("two/b.csv"), "label,f0,f1,f3\n1,2,3,4\n");
    e = fails(DataSpec.of(tmp.resolve("two").toString()).withFormat(DataFormat.CSV));
    assertAt(e, "b.csv", 1, null, "label,f0,f1,f3", "CSV header differs from the header of");
  }

  @Test
  void emptyAndMissingInputs() throws Exception {
    DataFormatException e = failsOn("header-only.csv", "label,f0\n", DataSpec.of("x"));
    assertTrue(e.getMessage().startsWith("empty data set"), e.getMessage());
    assertTrue(e.file().endsWith("header-only.csv"), e.getMessage());
    e = failsOn("empty.libsvm", "\n\n", DataSpec.of("x"));
    assertTrue(e.getMessage().contains("empty data set") && e.file().endsWith("empty.libsvm"));
    String missing = tmp.resolve("nope/data.csv").toString();
    e = fails(DataSpec.of(missing));
    assertEquals(missing, e.file());
    assertTrue(e.getMessage().contains("no data file matches") && e.getMessage().contains(missing));
    String glob = tmp.resolve("*.nothing.csv").toString();
    e = fails(DataSpec.of(glob));
    assertTrue(e.getMessage().contains(glob), e.getMessage());
    IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
        () -> DataLoader.load(spark(), DataSpec.of(DATA + "iris.libsvm").withTask(Task.REGRESSION)
            .withLabelCols("a", "b"), LoadOptions.defaults()));
    assertTrue(iae.getMessage().contains("LibSVM"), iae.getMessage());
    iae = assertThrows(IllegalArgumentException.class,
        () -> DataLoader.load(spark(), DataSpec.of(DATA + "diabetes.csv").withLabelCols("label",
            "f0"), LoadOptions.defaults()));
    assertTrue(iae.getMessage().contains("regression"), iae.getMessage());
  }

  @Test
  void lineNumbersAreRightInMultiSplitFilesAndGzip() throws Exception {
    Configuration hc = spark().sparkContext().hadoopConfiguration();
    StringBuilder lib = new StringBuilder();
    StringBuilder csv = new StringBuilder("label,f0,f1,f2\r\n");
    for (int i = 1; i <= 5000; i++) {
      lib.append(i % 2).append(i == 4321 ? " 1:0.5 2:bad 3:0.125\n" : " 1:0.5 2:0.25 3:0.125\n");
      csv.append(i % 2).append(i == 2999 ? ",0.5,0.25,1.2.3\r\n" : ",0.5,0.25,0.125\r\n");
    }
    Path lp = TestBlocks.write(tmp.resolve("big.libsvm"), lib.toString());
    Path cp = TestBlocks.write(tmp.resolve("big.csv"), csv.toString());
    Path gz = TestBlocks.writeGz(tmp.resolve("big.libsvm.gz"), lib.toString());
    hc.setLong("mapreduce.input.fileinputformat.split.maxsize", 4096);
    try {
      int splits = TextSource.read(JavaSparkContext.fromSparkContext(spark().sparkContext()), hc,
          InputFiles.list(lp.toString(), hc),
          ParseConfig.libsvm(Task.CLASSIFICATION, InvalidRowPolicy.FAIL, true, true, 0, null))
          .getNumPartitions();
      assertTrue(splits > 10, "split into " + splits);
      assertAt(fails(DataSpec.of(lp.toString())), "big.libsvm", 4321, "token 3", "2:bad",
          "feature value is not a number");
      assertAt(fails(DataSpec.of(cp.toString())), "big.csv", 3000, "column 'f2'", "1.2.3",
          "feature value is not a number");
      assertAt(fails(DataSpec.of(gz.toString())), "big.libsvm.gz", 4321, "token 3", "2:bad",
          "feature value is not a number");
      // the first error in file order is reported, whichever split fails first
      StringBuilder early = new StringBuilder(lib);
      early.replace(0, "1 1:0.5".length(), "1 1:x.5");
      Path ep = TestBlocks.write(tmp.resolve("early.libsvm"), early.toString());
      assertAt(fails(DataSpec.of(ep.toString())), "early.libsvm", 1, "token 2", "1:x.5",
          "not a number");
    } finally {
      hc.unset("mapreduce.input.fileinputformat.split.maxsize");
    }
  }

  /** Issue 18, case 5: a truncated .gz is bad input that names the file, not a task failure. */
  @Test
  void truncatedGzipNamesTheFile() throws Exception {
    StringBuilder csv = new StringBuilder("label,f0,f1\n");
    for (int i = 0; i < 20000; i++) {
      csv.append(i % 2).append(",0.5,").append(i).append('\n');
    }
    Path gz = TestBlocks.writeGz(tmp.resolve("cut.csv.gz"), csv.toString());
    byte[] all = java.nio.file.Files.readAllBytes(gz);
    java.nio.file.Files.write(gz, Arrays.copyOf(all, all.length / 2));
    DataFormatException e = fails(DataSpec.of(gz.toString()));
    assertTrue(e.file().endsWith("cut.csv.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    assertTrue(e.line() > 1000, "the last line read is named: " + e.getMessage());
  }

  /**
   * Issue 18, case 9: a quoted header field may hold a comma (RFC 4180), so the header is not
   * blamed on line 2; an unterminated quote and a repeated column name are errors on line 1.
   */
  @Test
  void csvHeadersAreSplitLikeRfc4180AndMustNameEachColumnOnce() throws Exception {
    Path quoted = TestBlocks.write(tmp.resolve("quoted.csv"),
        "label,\"petal, length\",\"say \"\"hi\"\"\"\n1,2,3\n0,4,5\n");
    Dataset d = DataLoader.load(spark(), DataSpec.of(quoted.toString()), LoadOptions.defaults())
        .train();
    assertArrayEquals(new String[] {"petal, length", "say \"hi\""}, d.featureNames());
    assertEquals(2, d.numRows());
    d.unpersist();
    assertAt(failsOn("open.csv", "label,\"f0,f1\n1,2,3\n", DataSpec.of("x")), "open.csv", 1,
        null, "label,\"f0,f1", "unterminated quote");
    assertAt(failsOn("dup.csv", "label,f0,f1,f0\n1,2,3,4\n", DataSpec.of("x")), "dup.csv", 1,
        "column 'f0'", "label,f0,f1,f0", "names column 'f0' twice (columns 2 and 4)");
    assertAt(failsOn("duplabel.csv", "y,f0,y\n1,2,3\n", DataSpec.of("x").withLabelCols("y")),
        "duplabel.csv", 1, "column 'y'", "y,f0,y", "names column 'y' twice (columns 1 and 3)");
  }

  @Test
  void skipDropsCountsAndLogsInvalidRows() throws Exception {
    List<String> logged = new ArrayList<>();
    Logger logger = (Logger) LogManager.getLogger("io.sparkmlp.data");
    AbstractAppender appender = new AbstractAppender("capture", null, null, true,
        Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        logged.add(event.getMessage().getFormattedMessage());
      }
    };
    appender.start();
    logger.addAppender(appender);
    try {
      Path p = TestBlocks.write(tmp.resolve("skip.libsvm"),
          "1 1:1\n1 1:x\n0 2:2\n2.5 1:1\n1 3:3\n1 2:1 1:1\n0 1:7\n");
      Split s = DataLoader.load(spark(), DataSpec.of(p.toString())
          .withOnInvalid(InvalidRowPolicy.SKIP), LoadOptions.defaults().withPartitions(2));
      Dataset d = s.train();
      assertEquals(3, d.skippedRows());
      assertEquals(4, d.numRows());
      assertEquals(3, d.numFeatures());
      TestBlocks b = TestBlocks.of(d);
      assertArrayEquals(new double[] {1, 0, 0, 0, 2, 0, 0, 0, 3, 7, 0, 0},
          Arrays.stream(b.x).toArray());
      assertArrayEquals(new double[] {0, 1}, d.classLabels());
      assertArrayEquals(new int[] {1, 0, 1, 0}, b.labels);
      d.unpersist();
      assertTrue(logged.stream().anyMatch(m -> m.contains("skipped invalid row")
          && m.contains("line 2") && m.contains("'1:x'")), logged.toString());
      assertTrue(logged.stream().anyMatch(m -> m.contains("line 4") && m.contains("'2.5'")),
          logged.toString());
      assertTrue(logged.stream().anyMatch(m -> m.contains("skipped 3 invalid rows")),
          logged.toString());
      // all rows invalid: an empty data set, saying why
      Path all = TestBlocks.write(tmp.resolve("allbad.libsvm"), "x 1:1\ny 1:1\n");
      DataFormatException e = assertThrows(DataFormatException.class, () -> DataLoader.load(
          spark(), DataSpec.of(all.toString()).withOnInvalid(InvalidRowPolicy.SKIP),
          LoadOptions.defaults()));
      assertTrue(e.getMessage().contains("all 2 rows were invalid"), e.getMessage());
    } finally {
      logger.removeAppender(appender);
    }
  }

  @Test
  void loadLikeRejectsUnknownClassesAndExtraFeatures() throws Exception {
    Dataset ref = DataLoader.load(spark(), DataSpec.of(DATA + "iris.csv"), LoadOptions.defaults())
        .train();
    Path p = TestBlocks.write(tmp.resolve("test.libsvm"), "0 1:1\n2 1:1 4:2\n7 1:1\n1 5:1\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DataLoader.loadLike(spark(), DataSpec.of(p.toString()), ref, 1, true));
    assertAt(e, "test.libsvm", 3, "token 1", "7", "class label 7 is not one of the 3 classes of"
        + " the training data [0, 1, 2]");
    Path q = TestBlocks.write(tmp.resolve("test2.libsvm"), "0 1:1\n1 5:1\n");
    e = assertThrows(DataFormatException.class,
        () -> DataLoader.loadLike(spark(), DataSpec.of(q.toString()), ref, 1, true));
    assertAt(e, "test2.libsvm", 2, "token 2", "5:1", "exceeds the number of features (4)");
    Dataset skipped = DataLoader.loadLike(spark(), DataSpec.of(p.toString())
        .withOnInvalid(InvalidRowPolicy.SKIP), ref, 2, true);
    assertEquals(2, skipped.skippedRows());
    assertEquals(2, skipped.numRows());
    assertArrayEquals(new int[] {0, 2}, TestBlocks.of(skipped).labels);
    Path c = TestBlocks.write(tmp.resolve("wide.csv"), "label,a,b,c,d,e\n0,1,2,3,4,5\n");
    e = assertThrows(DataFormatException.class,
        () -> DataLoader.loadLike(spark(), DataSpec.of(c.toString()), ref, 1, true));
    assertAt(e, "wide.csv", 1, null, "label,a,b,c,d,e", "5 feature columns, expected 4");
    Path named = TestBlocks.write(tmp.resolve("named.csv"), "f3,label,f1,f0,f2\n4,1,2,1,3\n");
    Dataset byName = DataLoader.loadLike(spark(), DataSpec.of(named.toString())
        .withFeatureNames(List.of("f0", "f1", "f2", "f3")), ref, 1, true, InputLayout.DENSE);
    assertArrayEquals(new double[] {1, 2, 3, 4}, TestBlocks.of(byName).x, "columns by name");
    byName.unpersist();
    skipped.unpersist();
    ref.unpersist();
  }

  @Test
  void badParquet() throws Exception {
    SparkSession spark = spark();
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)
        .add("a", org.apache.spark.sql.types.DataTypes.DoubleType)
        .add("b", org.apache.spark.sql.types.DataTypes.DoubleType);
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(org.apache.spark.sql.RowFactory.create(i % 2, 1.0 * i, i == 6 ? Double.NaN : 2.0));
    }
    String dir = tmp.resolve("bad.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir);
    DataFormatException e = fails(DataSpec.of(dir));
    assertTrue(e.file().endsWith(".parquet") && e.file().contains("bad.parquet/part-"),
        e.getMessage());
    assertTrue(e.isRecord());
    assertEquals(7, e.line(), e.getMessage());
    assertEquals("column 'b'", e.column());
    assertEquals("NaN", e.value());
    e = fails(DataSpec.of(dir).withLabelCols("y"));
    assertTrue(e.getMessage().contains("label column 'y' not found (columns: label, a, b)"),
        e.getMessage());
  }

  @Test
  void unwrapFindsTheExceptionThrownInATask() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    try {
      jsc.parallelize(Arrays.asList(1, 2, 3, 4), 2).map(i -> {
        if (i == 3) {
          throw DataFormatException.atLine("feature value is not a number", "file:/d/x.csv", 12,
              "column 'f1'", "abc");
        }
        return i;
      }).collect();
      fail("expected the job to fail");
    } catch (Exception ex) {
      assertTrue(!(ex instanceof DataFormatException), "Spark wraps it");
      DataFormatException e = DataFormatException.unwrap(ex);
      assertNotNull(e, ex.toString());
      assertEquals("file:/d/x.csv", e.file());
      assertEquals(12, e.line());
      assertEquals("column 'f1'", e.column());
      assertEquals("abc", e.value());
      assertTrue(e.getMessage().startsWith("feature value is not a number [file file:/d/x.csv"));
      // and from the message alone, as when the cause did not survive
      DataFormatException fromText = DataFormatException.unwrap(new RuntimeException(
          ex.getMessage()));
      assertNotNull(fromText, ex.getMessage());
      assertEquals(e.getMessage(), fromText.getMessage());
    }
  }
}
