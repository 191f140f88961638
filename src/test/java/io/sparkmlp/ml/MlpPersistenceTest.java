package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.Main;
import io.sparkmlp.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpPersistenceTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  private int predictions;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.get();
  }

  @Test
  void pipelineFitSaveLoadTransformsIdentically() throws Exception {
    Dataset<Row> iris = MlTestData.csv(spark, "iris");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"f0", "f1", "f2", "f3"})
            .setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        new MlpClassifier().setHiddenLayers(16, 8).setMaxIter(40).setBatchSize(0).setLr(0.03)
            .setDtype("float64").setSeed(3)});
    PipelineModel fitted = pipeline.fit(iris);
    String path = tmp.resolve("pipeline-model").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);

    List<Row> before = fitted.transform(iris).select("probability", "prediction", "label")
        .collectAsList();
    List<Row> after = loaded.transform(iris).select("probability", "prediction", "label")
        .collectAsList();
    assertEquals(150, after.size());
    long correct = 0;
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(((Vector) before.get(i).get(0)).toArray(),
          ((Vector) after.get(i).get(0)).toArray(), 0.0);
      assertEquals(before.get(i).getDouble(1), after.get(i).getDouble(1));
      correct += after.get(i).getDouble(1) == after.get(i).getInt(2) ? 1 : 0;
    }
    assertTrue(correct >= 140, "pipeline accuracy " + correct + "/150");
    MlpClassificationModel m = assertInstanceOf(MlpClassificationModel.class,
        loaded.stages()[2]);
    MlpClassificationModel original = (MlpClassificationModel) fitted.stages()[2];
    assertEquals(original.uid(), m.uid());
    assertArrayEquals(new int[] {16, 8}, m.getHiddenLayers());
    assertEquals(0.03, m.getLr());
    assertEquals("float64", m.getDtype());
    assertArrayEquals(original.weights(), m.weights(), 0.0);
    assertTrue(original.hasSummary());
    assertSameSummary(original.summary(), m.summary());
    assertEquals(40, m.summary().totalIterations());
    assertEquals("16,8", m.summary().settings().get("hiddenLayers"));
    assertEquals("0.03", m.summary().settings().get("lr"));
  }

  @Test
  void theTrainingSummarySurvivesSaveAndLoad() throws Exception {
    Dataset<Row> diabetes = MlTestData.assembled(spark, "diabetes")
        .withColumn("isVal", org.apache.spark.sql.functions.rand(4).lt(0.2));
    MlpRegressionModel fitted = new MlpRegressor().setHiddenLayers(16).setMaxIter(60)
        .setBatchSize(32).setLr(0.01).setDtype("float64").setStandardize(true).setSeed(3)
        .setEarlyStoppingPatience(5).setValidationIndicatorCol("isVal").fit(diabetes);
    MlpTrainingSummary s = fitted.summary();
    assertTrue(s.stoppedEarly() && s.bestEpoch() < s.totalIterations(), s.bestEpoch() + "");
    String path = tmp.resolve("regressor").toString();
    fitted.write().save(path);
    MlpRegressionModel loaded = MlpRegressionModel.load(path);
    assertSameSummary(s, loaded.summary());
    assertEquals("rmse", loaded.summary().metricName());
    assertEquals("isVal", loaded.summary().settings().get("validationIndicatorCol"));
    assertEquals("5", loaded.summary().settings().get("earlyStoppingPatience"));
    assertEquals("true", loaded.summary().settings().get("standardizeTargets"));
    assertEquals("32", loaded.summary().settings().get("batchSize"));
    // Without validation the histories hold NaN, and survive as NaN.
    MlpRegressionModel plain = new MlpRegressor().setHiddenLayers(4).setMaxIter(2)
        .setDtype("float64").fit(diabetes);
    String plainPath = tmp.resolve("plain").toString();
    plain.write().save(plainPath);
    MlpTrainingSummary back = MlpRegressionModel.load(plainPath).summary();
    assertTrue(Double.isNaN(back.validationLossHistory()[1]));
    assertSameSummary(plain.summary(), back);
  }

  private static void assertSameSummary(MlpTrainingSummary a, MlpTrainingSummary b) {
    assertArrayEquals(a.objectiveHistory(), b.objectiveHistory(), 0.0);
    assertArrayEquals(a.validationLossHistory(), b.validationLossHistory(), 0.0);
    assertArrayEquals(a.validationMetricHistory(), b.validationMetricHistory(), 0.0);
    assertArrayEquals(a.validationR2History(), b.validationR2History(), 0.0);
    assertEquals(a.bestEpoch(), b.bestEpoch());
    assertEquals(a.stoppedEarly(), b.stoppedEarly());
    assertEquals(a.trainingSeconds(), b.trainingSeconds());
    assertEquals(a.metricName(), b.metricName());
    assertEquals(a.settings(), b.settings());
  }

  @Test
  void estimatorsAndUnfittedPipelinesSaveAndLoadTheirParams() throws Exception {
    MlpClassifier c = new MlpClassifier().setHiddenLayers(5, 3).setOptimizer("sgd")
        .setMomentum(0.9).setNesterov(true).setLrSchedule("cosine").setBatchSize(0)
        .setInitWeights("/some/where.safetensors").setLabelCol("y");
    String path = tmp.resolve("classifier").toString();
    c.write().overwrite().save(path);
    MlpClassifier back = MlpClassifier.load(path);
    assertEquals(c.uid(), back.uid());
    assertArrayEquals(new int[] {5, 3}, back.getHiddenLayers());
    assertEquals("sgd", back.getOptimizer());
    assertEquals(0.9, back.getMomentum());
    assertTrue(back.getNesterov());
    assertEquals("cosine", back.getLrSchedule());
    assertEquals(0, back.getBatchSize());
    assertEquals("/some/where.safetensors", back.getInitWeights());
    assertEquals("y", back.getLabelCol());
    assertEquals(0.001, back.getLr());

    MlpRegressor r = new MlpRegressor().setMaxIter(7).setStandardize(true);
    String pipePath = tmp.resolve("pipeline").toString();
    new Pipeline().setStages(new PipelineStage[] {r}).write().overwrite().save(pipePath);
    MlpRegressor loaded = (MlpRegressor) Pipeline.load(pipePath).getStages()[0];
    assertEquals(7, loaded.getMaxIter());
    assertTrue(loaded.getStandardize());
  }

  @Test
  void cliModelsAndSparkMlModelsAreInterchangeable() throws Exception {
    String cliOut = tmp.resolve("cli").toString();
    run("train", "--config", "jobs/iris.properties", "--epochs", "3", "--out", cliOut,
        "--quiet");
    MlpClassificationModel fromCli = MlpClassificationModel.fromModelFile(cliOut);
    assertArrayEquals(new int[] {16}, fromCli.getHiddenLayers());
    assertTrue(fromCli.getStandardize());

    Dataset<Row> iris = MlTestData.assembled(spark, "iris");
    assertSamePredictions(fromCli, iris, predictWithCli(cliOut));

    String saved = tmp.resolve("ml-model").toString();
    fromCli.write().overwrite().save(saved);
    MlpClassificationModel reloaded = MlpClassificationModel.load(saved);
    assertArrayEquals(fromCli.weights(), reloaded.weights(), 0.0);
    assertSamePredictions(reloaded, iris, predictWithCli(saved + "/data"));
  }

  /** The CLI's predictions (row, prediction, prob_0..2), in row order. */
  private List<Row> predictWithCli(String model) {
    String out = tmp.resolve("predictions-" + predictions++).toString();
    run("predict", "--model", model, "--data", "data-samples/iris.csv", "--out", out);
    return spark.read().option("header", true).option("inferSchema", true).csv(out)
        .orderBy("row").collectAsList();
  }

  private static void assertSamePredictions(MlpClassificationModel model, Dataset<Row> data,
      List<Row> cli) {
    List<Row> ours = model.transform(data).select("probability", "prediction").collectAsList();
    assertEquals(cli.size(), ours.size());
    for (int i = 0; i < ours.size(); i++) {
      double[] p = ((Vector) ours.get(i).get(0)).toArray();
      Row c = cli.get(i);
      assertEquals(c.getDouble(1), ours.get(i).getDouble(1), "row " + i);
      for (int j = 0; j < 3; j++) {
        assertEquals(c.getDouble(2 + j), p[j], 1e-6, "row " + i + " class " + j);
      }
    }
  }

  private static void run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, () -> String.join(" ", args) + " failed: "
        + err.toString(StandardCharsets.UTF_8));
  }
}
