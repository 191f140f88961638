package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.Main;
import io.sparkmlp.io.ModelFile;
import io.sparkmlp.io.SavedModel;
import io.sparkmlp.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MlpRegressor} with a vector of targets: the CLI's {@code --label-col t0,t1} run. */
class MlpMultiTargetTest {
  @TempDir Path dir;

  private Path csv() throws IOException {
    Random r = new Random(8);
    List<String> lines = new ArrayList<>(List.of("t0,t1,f0,f1,f2,f3"));
    for (int i = 0; i < 160; i++) {
      double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
      double t0 = 500 + 80 * Math.tanh(x[0] + x[1]) + r.nextGaussian();
      double t1 = -0.3 * x[2] * x[3] + 0.05 * r.nextGaussian();
      lines.add(t0 + "," + t1 + "," + x[0] + "," + x[1] + "," + x[2] + "," + x[3]);
    }
    return Files.write(dir.resolve("two.csv"), lines);
  }

  @Test
  void fitsTransformsSavesAndLoadsTheCliRun() throws IOException {
    SparkSession spark = SparkTestSession.get();
    Path csv = csv();
    String[] settings = {"--hidden", "8", "--epochs", "6", "--batch-size", "16", "--lr", "0.01",
        "--dtype", "float64", "--seed", "4", "--partitions", "2", "--validation-fraction", "0.2",
        "--standardize", "true"};
    List<String> args = new ArrayList<>(List.of("train", "--data", csv.toString(), "--task",
        "regression", "--label-col", "t0,t1", "--quiet", "--out", dir.resolve("cli").toString()));
    args.addAll(List.of(settings));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    SavedModel cli = ModelFile.read(new org.apache.hadoop.fs.Path(dir.resolve("cli")
        .resolve("model.safetensors").toString()), new Configuration());

    Dataset<Row> raw = spark.read().option("header", true).option("inferSchema", true)
        .csv(csv.toString()).coalesce(1);
    Dataset<Row> df = new VectorAssembler().setInputCols(new String[] {"t0", "t1"})
        .setOutputCol("label").transform(new VectorAssembler()
            .setInputCols(new String[] {"f0", "f1", "f2", "f3"}).setOutputCol("features")
            .transform(raw));
    MlpRegressionModel model = new MlpRegressor().setHiddenLayers(8).setMaxIter(6)
        .setBatchSize(16).setLr(0.01).setDtype("float64").setSeed(4).setNumPartitions(2)
        .setValidationFraction(0.2).setStandardize(true).fit(df);
    assertEquals(2, model.numTargets());
    assertArrayEquals(cli.params(), model.weights(), "the CLI's weights, bit for bit");
    assertEquals(6, model.summary().totalIterations());

    Dataset<Row> scored = model.transform(df);
    assertEquals(SQLDataTypes.VectorType(), scored.schema().apply("prediction").dataType());
    List<Row> rows = scored.select("features", "prediction").collectAsList();
    assertEquals(160, rows.size());
    for (Row r : rows.subList(0, 10)) {
      Vector p = (Vector) r.get(1);
      assertEquals(2, p.size());
      assertArrayEquals(model.predictVector((Vector) r.get(0)).toArray(), p.toArray(), 1e-12);
    }
    String path = dir.resolve("saved").toString();
    model.write().save(path);
    MlpRegressionModel loaded = MlpRegressionModel.load(path);
    assertEquals(2, loaded.numTargets());
    assertArrayEquals(model.weights(), loaded.weights());
    List<Row> again = loaded.transform(df).select("prediction").collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      assertArrayEquals(((Vector) rows.get(i).get(1)).toArray(),
          ((Vector) again.get(i).get(0)).toArray(), 0.0);
    }
    String one = assertThrows(IllegalStateException.class,
        () -> loaded.predict((Vector) rows.get(0).get(0))).getMessage();
    assertTrue(one.contains("predictVector"), one);
    // The CLI's multi-target model loads into the Spark ML API too.
    MlpRegressionModel fromCli = MlpRegressionModel.fromModelFile(dir.resolve("cli").toString());
    assertArrayEquals(cli.params(), fromCli.weights());
  }
}
