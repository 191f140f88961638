package io.sparkmlp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Dtype;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value types, option parsing and the numeric helpers, without Spark. */
class DataTypesTest {
  @TempDir Path tmp;

  @Test
  void parsesOptionValues() {
    assertEquals(DataFormat.LIBSVM, DataFormat.parse("libsvm"));
    assertEquals(DataFormat.CSV, DataFormat.parse(" CSV "));
    assertEquals(DataFormat.PARQUET, DataFormat.parse("parquet"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataFormat.parse("json"));
    assertTrue(e.getMessage().contains("json") && e.getMessage().contains("libsvm"));
    assertEquals(InvalidRowPolicy.FAIL, InvalidRowPolicy.parse("fail"));
    assertEquals(InvalidRowPolicy.SKIP, InvalidRowPolicy.parse("Skip"));
    assertThrows(IllegalArgumentException.class, () -> InvalidRowPolicy.parse("ignore"));
    assertEquals(Task.CLASSIFICATION, Task.parse("classification"));
    assertEquals(Task.REGRESSION, Task.parse("REGRESSION"));
    assertThrows(IllegalArgumentException.class, () -> Task.parse("clustering"));
  }

  @Test
  void infersFormatFromNames() throws IOException {
    assertEquals(DataFormat.LIBSVM, DataFormat.infer("/d/a.libsvm"));
    assertEquals(DataFormat.LIBSVM, DataFormat.infer("hdfs://nn/d/a.svm.gz"));
    assertEquals(DataFormat.LIBSVM, DataFormat.infer("/d/a.txt"));
    assertEquals(DataFormat.CSV, DataFormat.infer("s3a://b/a.CSV.gz"));
    assertEquals(DataFormat.CSV, DataFormat.infer("/d/*.csv"));
    assertEquals(DataFormat.PARQUET, DataFormat.infer("/d/a.parquet"));
    assertEquals(DataFormat.PARQUET, DataFormat.infer("/d/a.parquet/"));
    Path dir = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(dir.resolve("part-00000-x.snappy.parquet"), "");
    Files.writeString(dir.resolve("part-00001-x.snappy.parquet"), "");
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve(".part-00000-x.snappy.parquet.crc"), "");
    assertEquals(DataFormat.PARQUET, DataFormat.infer(dir.toString()));
    Files.writeString(dir.resolve("notes.json"), "");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataFormat.infer(dir.toString()));
    assertTrue(e.getMessage().contains("--format"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataFormat.infer("/d/data.bin"));
    assertTrue(e.getMessage().contains("--format") && e.getMessage().contains("data.bin"));
  }

  @Test
  void valueObjectsValidate() {
    DataSpec s = DataSpec.of("/x.csv");
    assertNull(s.format());
    assertEquals(List.of("label"), s.labelCols());
    assertEquals(Task.CLASSIFICATION, s.task());
    assertEquals(InvalidRowPolicy.FAIL, s.onInvalid());
    DataSpec t = s.withLabelCols("a", "b").withTask(Task.REGRESSION).withNumFeatures(5)
        .withFormat(DataFormat.CSV).withOnInvalid(InvalidRowPolicy.SKIP);
    assertEquals(List.of("a", "b"), t.labelCols());
    assertEquals(5, t.numFeatures());
    assertEquals(t, s.withLabelCols("a", "b").withTask(Task.REGRESSION).withNumFeatures(5)
        .withFormat(DataFormat.CSV).withOnInvalid(InvalidRowPolicy.SKIP));
    assertThrows(IllegalArgumentException.class, () -> s.withLabelCols(List.of()));
    assertThrows(IllegalArgumentException.class, () -> s.withLabelCols("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> s.withNumFeatures(-1));
    LoadOptions o = LoadOptions.defaults();
    assertEquals(Dtype.FLOAT32, o.dtype());
    assertEquals(1, o.partitions());
    assertThrows(IllegalArgumentException.class, () -> o.withPartitions(0));
    assertThrows(IllegalArgumentException.class, () -> o.withValidationFraction(1.0));
    assertThrows(IllegalArgumentException.class, () -> o.withValidationFraction(-0.1));
    assertThrows(IllegalArgumentException.class, () -> o.withValidationFraction(Double.NaN));
    assertEquals(0.25, o.withValidationFraction(0.25).validationFraction());
  }

  @Test
  void numberParserMatchesParseDouble() {
    List<String> cases = new ArrayList<>(List.of("0", "-0", "+0", "0.0", "-0.000", "1", "-1",
        "+7", "3.", ".5", "-.5", "0.1", "0.2", "0.3", "0.992", "1e5", "1E-5", "2.5e+3", "-1e-300",
        "1e-400", "123456789012345678", "1234567890123456789", "9007199254740993",
        "0.1234567890123456789", "1.7976931348623157e308", "4.9e-324", "000123.4500",
        "0.000000000000000000000001", "1e22", "1e23", "123.456e-20", "99999999999999999999e-5"));
    Random r = new Random(1);
    for (int i = 0; i < 20000; i++) {
      double v = Double.longBitsToDouble(r.nextLong());
      if (Double.isFinite(v)) {
        cases.add(Double.toString(v));
      }
      double u = r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6);
      cases.add(Double.toString(u));
      cases.add(String.format(Locale.ROOT, "%." + r.nextInt(20) + "f", u));
      cases.add(String.format(Locale.ROOT, "%." + r.nextInt(17) + "e", u));
      cases.add(Float.toString((float) u));
    }
    for (String c : cases) {
      double expected = Double.parseDouble(c) + 0.0;
      double got = NumberParser.parse(c);
      if (!Double.isFinite(expected)) {
        assertEquals(NumberParser.NOT_FINITE, got, c);
      } else {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), c);
      }
    }
    for (String bad : List.of("", "-", "+", ".", "abc", "1f", "2d", "0x10", "1e", "1e+",
        "1.2.3", "--1", "1 2", "1,5", "e5", "1e5.5", "١")) {
      assertTrue(Double.isNaN(NumberParser.parse(bad)), bad);
    }
    for (String nonFinite : List.of("NaN", "nan", "Infinity", "-Infinity", "inf", "1e999")) {
      assertEquals(NumberParser.NOT_FINITE, NumberParser.parse(nonFinite), nonFinite);
    }
  }

  @Test
  void exactSumIsOrderIndependentAndCorrectlyRounded() {
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      List<Double> xs = new ArrayList<>();
      int n = 1 + r.nextInt(2000);
      for (int i = 0; i < n; i++) {
        double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(30) - 15);
        xs.add(v);
      }
      BigDecimal exact = BigDecimal.ZERO;
      for (double v : xs) {
        exact = exact.add(new BigDecimal(v));
      }
      double expected = exact.round(MathContext.DECIMAL128).doubleValue();
      ExactSum a = new ExactSum();
      xs.forEach(a::add);
      Collections.shuffle(xs, new Random(trial));
      ExactSum b = new ExactSum();
      ExactSum c = new ExactSum();
      for (int i = 0; i < xs.size(); i++) {
        (i % 3 == 0 ? b : c).add(xs.get(i));
      }
      c.addAll(b);
      assertEquals(a.value(), c.value());
      // DECIMAL128 (34 digits) then to double can double-round; allow 1 ulp against it.
      assertEquals(expected, a.value(), Math.ulp(expected));
    }
    ExactSum p = new ExactSum();
    p.addProduct(3.0, 0.1);
    assertEquals(new BigDecimal(0.1).multiply(BigDecimal.valueOf(3)).doubleValue(), p.value());
  }

  @Test
  void layoutHelpers() {
    assertArrayEquals(new long[] {0, 3, 6, 10}, RowLayout.ranges(10, 3));
    assertArrayEquals(new long[] {0, 0, 1, 1, 2}, RowLayout.ranges(2, 4));
    long[] bits = new long[3];
    for (long g : new long[] {0, 5, 63, 64, 100, 130}) {
      bits[(int) (g >>> 6)] |= 1L << g;
    }
    assertEquals(6, RowLayout.countBits(bits, 0, 192));
    assertEquals(2, RowLayout.countBits(bits, 5, 64));
    assertEquals(3, RowLayout.countBits(bits, 63, 101));
    assertEquals(0, RowLayout.countBits(bits, 1, 5));
    assertEquals(1, RowLayout.countBits(bits, 130, 131));
    long[] v = RowLayout.validationBits(1000, 123, 42);
    assertEquals(123, RowLayout.countBits(v, 0, 1000));
    assertArrayEquals(v, RowLayout.validationBits(1000, 123, 42));
  }

  @Test
  void exceptionMessageRoundTrips() {
    DataFormatException e = DataFormatException.atLine("feature value is not a number",
        "file:/d/x.csv", 17, "column 'f3'", "ab'c");
    assertEquals("feature value is not a number [file file:/d/x.csv, line 17, column 'f3',"
        + " value 'ab'c']", e.getMessage());
    RuntimeException wrapped = new RuntimeException("Job aborted due to stage failure: Task 0"
        + " failed: " + e + "\n\tat somewhere");
    DataFormatException back = DataFormatException.unwrap(wrapped);
    assertNotNull(back);
    assertEquals("file:/d/x.csv", back.file());
    assertEquals(17, back.line());
    assertEquals("column 'f3'", back.column());
    assertEquals("ab'c", back.value());
    assertEquals(e.getMessage(), back.getMessage());
    DataFormatException rec = DataFormatException.atRecord("null value", "f.parquet", 3,
        "column 'x'", "null");
    DataFormatException recBack = DataFormatException.unwrap(new Exception("x: " + rec));
    assertTrue(recBack.isRecord());
    assertEquals(3, recBack.line());
    DataFormatException tok = DataFormatException.atOffset("expected index:value", "f.libsvm",
        1234, "token 3", ":1");
    DataFormatException tokBack = DataFormatException.unwrap(new Exception("y: " + tok));
    assertEquals(1234, tokBack.offset());
    assertEquals(-1, tokBack.line());
    assertEquals("token 3", tokBack.column());
    assertNull(DataFormatException.unwrap(new RuntimeException("other")));
    assertTrue(DataFormatException.unwrap(new RuntimeException(e)) == e);
  }
}
