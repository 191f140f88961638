package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.data.DataLoader;
import io.sparkmlp.data.DataSpec;
import io.sparkmlp.data.LoadOptions;
import io.sparkmlp.data.Split;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The dtype is one setting: the trainer refuses data stacked in another one. */
class DtypeAgreementTest {
  @Test
  void dataInAnotherDtypeThanTheTrainersIsRefused() {
    SparkSession spark = SparkTestSession.get();
    Split f64 = DataLoader.load(spark, DataSpec.of("data-samples/iris.csv"),
        LoadOptions.defaults().withDtype(Dtype.FLOAT64).withValidationFraction(0.2));
    Split f32 = DataLoader.load(spark, DataSpec.of("data-samples/iris.csv"),
        LoadOptions.defaults().withValidationFraction(0.2));
    try {
      Trainer float32 = new Trainer(spark, new TrainConfig().hidden(4).epochs(1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> float32.fit(f64.train(), null, null, TrainingListener.NONE));
      assertEquals("the training data are stacked in float64 but the trainer computes in "
          + "float32: load them with the same dtype", e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> float32.fit(f32.train(), f64.validation(), null, TrainingListener.NONE));
      assertEquals("the validation data are stacked in float64 but the trainer computes in "
          + "float32: load them with the same dtype", e.getMessage());
      TrainResult ok = new Trainer(spark, new TrainConfig().hidden(4).epochs(1)
          .dtype(Dtype.FLOAT64)).fit(f64.train(), f64.validation(), null, TrainingListener.NONE);
      assertEquals(1, ok.history.size());
    } finally {
      f64.unpersist();
      f32.unpersist();
    }
  }
}
