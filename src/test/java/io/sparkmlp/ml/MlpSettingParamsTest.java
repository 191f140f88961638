package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.gpu.Device;
import io.sparkmlp.testing.SparkTestSession;
import io.sparkmlp.train.Setting;
import io.sparkmlp.train.SettingType;
import io.sparkmlp.train.Settings;
import io.sparkmlp.train.TrainConfig;
import io.sparkmlp.train.TrainConfig.StepEngineKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimators' and models' Params as the settings table derives them. */
class MlpSettingParamsTest {
  @TempDir Path tmp;

  @Test
  void everySettingIsAParamWithItsDocAndDefault() {
    for (MlpParams stage : List.<MlpParams>of(new MlpClassifier(), new MlpRegressor())) {
      for (Setting<?> s : Settings.ALL) {
        Param<?> p = stage.getParam(s.paramName());
        assertSame(stage.mlpParamSet().param(s), p, s.name());
        assertTrue(p.doc().startsWith(s.doc()), p.doc());
        assertEquals(s.defaultValue() == null, !stage.isDefined(p), s.name());
        if (s.defaultValue() != null) {
          assertEquals(text(s, s.defaultValue()), text(s, stage.get(s)), s.name());
        }
      }
      List<String> names = Arrays.stream(stage.params()).map(Param::name).toList();
      assertEquals(names.stream().sorted().toList(), names, "sorted by name, as Spark lists");
      assertEquals(names.stream().distinct().count(), names.size());
      assertTrue(names.containsAll(List.of("stepEngine", "device", "featuresCol", "lr")));
    }
    MlpClassifier c = new MlpClassifier();
    assertEquals("learning rate (> 0)", c.lr().doc());
    assertEquals("hidden activation (one of relu, leaky_relu, sigmoid, tanh, gelu, identity)",
        c.activation().doc());
    assertTrue(c.explainParams().contains("stepEngine: one Spark job per step"),
        c.explainParams());
  }

  private static <T> String text(Setting<T> s, Object value) {
    @SuppressWarnings("unchecked")
    T v = (T) value;
    return s.format(v);
  }

  @Test
  void validatorsFollowTheTable() {
    MlpClassifier c = new MlpClassifier();
    for (Setting<?> s : Settings.ALL) {
      Object bad = tooSmall(s.type());
      if (bad != null) {
        Param<Object> p = param(c, s);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> c.set(p, bad), s.name());
        assertTrue(e.getMessage().contains(s.paramName()), e.getMessage());
      }
    }
    String m = assertThrows(IllegalArgumentException.class,
        () -> c.set(param(c, Settings.DEVICE), "tpu")).getMessage();
    assertTrue(m.contains("device") && m.contains("tpu"), m);
    c.set(param(c, Settings.LR), Double.POSITIVE_INFINITY);
    assertEquals("learning rate must be > 0, got Infinity",
        assertThrows(IllegalArgumentException.class, c::toTrainConfig).getMessage(),
        "the trainer refuses what Spark's range check lets through");
  }

  @SuppressWarnings("unchecked")
  private static Param<Object> param(Params stage, Setting<?> s) {
    return (Param<Object>) stage.getParam(s.paramName());
  }

  /** A value just outside the setting's range, or null where every value is allowed. */
  private static Object tooSmall(SettingType<?> type) {
    if (type instanceof SettingType.Whole t) {
      return t.min() - 1;
    } else if (type instanceof SettingType.CountOrAll t) {
      return -1;
    } else if (type instanceof SettingType.Real r) {
      return r.lowClosed() ? Math.nextDown(r.low()) : r.low();
    } else if (type instanceof SettingType.Sizes t) {
      return new int[] {t.min(), t.min() - 1};
    } else if (type instanceof SettingType.OneOf<?>) {
      return "none-of-these";
    }
    return null;
  }

  @Test
  void anySettingIsSetAndReadThroughTheTable() {
    MlpClassifier c = new MlpClassifier().set(Settings.DEVICE, Device.CPU)
        .set(Settings.STEP_ENGINE, StepEngineKind.JOB).setLr(0.5)
        .set(Settings.HIDDEN, new int[] {4});
    assertEquals(Device.CPU, c.get(Settings.DEVICE));
    assertEquals("cpu", c.getOrDefault(param(c, Settings.DEVICE)), "held by name");
    assertEquals(0.5, c.get(Settings.LR));
    TrainConfig config = c.toTrainConfig();
    assertEquals(Device.CPU, config.device());
    assertEquals(StepEngineKind.JOB, config.stepEngine());
    assertEquals(0.5, config.lr());
    MlpClassifier copy = c.copy(ParamMap.empty());
    assertEquals(StepEngineKind.JOB, copy.get(Settings.STEP_ENGINE));
    assertEquals(2, c.toLoadOptions().partitions(), "the one partitions default");
    assertEquals(null, c.get(Settings.INIT_WEIGHTS));
  }

  @Test
  void paramsWithoutAccessorsAreSavedLoadedAndPassedToTheModel() throws Exception {
    SparkSession spark = SparkTestSession.get();
    MlpRegressor r = new MlpRegressor().set(Settings.STEP_ENGINE, StepEngineKind.JOB)
        .set(Settings.DEVICE, Device.CPU).setHiddenLayers().setMaxIter(1);
    String path = tmp.resolve("regressor").toString();
    r.write().overwrite().save(path);
    MlpRegressor back = MlpRegressor.load(path);
    assertEquals(StepEngineKind.JOB, back.get(Settings.STEP_ENGINE));
    assertEquals(Device.CPU, back.get(Settings.DEVICE));

    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Dataset<Row> data = spark.createDataFrame(List.of(
        RowFactory.create(0.5, Vectors.dense(1, 2)), RowFactory.create(1.5, Vectors.dense(2, 1))),
        schema);
    MlpRegressionModel model = back.fit(data);
    assertEquals(StepEngineKind.JOB, model.get(Settings.STEP_ENGINE));
    assertEquals(Device.CPU, model.get(Settings.DEVICE));
  }
}
