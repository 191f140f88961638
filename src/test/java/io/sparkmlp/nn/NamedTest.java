package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.data.DataFormat;
import io.sparkmlp.data.InputLayout;
import io.sparkmlp.data.InvalidRowPolicy;
import io.sparkmlp.data.Task;
import io.sparkmlp.gpu.Device;
import io.sparkmlp.optim.LrSchedule;
import io.sparkmlp.train.TrainConfig;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The thirteen enums that users name: one parser, one message. */
class NamedTest {
  private static final List<Class<? extends Enum<?>>> NAMED = List.of(Activation.class,
      WeightInit.class, BiasInit.class, Loss.class, Dtype.class, LrSchedule.Kind.class,
      TrainConfig.OptimizerKind.class, TrainConfig.StepEngineKind.class, Device.class,
      InputLayout.class, DataFormat.class, InvalidRowPolicy.class, Task.class);

  @Test
  void everyNameParsesIgnoringCaseBlanksAndDashOrUnderscore() {
    for (Class<? extends Enum<?>> type : NAMED) {
      for (Enum<?> e : type.getEnumConstants()) {
        String name = ((Named) e).optionName();
        for (String written : List.of(name, " " + name.toUpperCase(Locale.ROOT) + "\t",
            name.replace('_', '-'), name.replace('-', '_'))) {
          assertSame(e, parse(type, written), type.getSimpleName() + " '" + written + "'");
        }
      }
    }
    assertEquals("cross-entropy", Loss.CROSS_ENTROPY.optionName());
    assertEquals("kaiming_uniform", WeightInit.KAIMING_UNIFORM.optionName());
    assertEquals("float64", Dtype.FLOAT64.optionName());
    assertEquals("F64", Dtype.FLOAT64.safetensorsName());
    assertEquals(4, Dtype.FLOAT32.bytes());
  }

  @Test
  void anUnknownNameIsNamedWithEveryChoice() {
    assertEquals("unknown device 'tpu'; expected auto, cpu or gpu",
        message(() -> Device.parse("tpu")));
    assertEquals("unknown dtype 'float16'; expected float32 or float64",
        message(() -> Dtype.parse("float16")));
    assertEquals("unknown loss 'null'; expected cross-entropy or mse",
        message(() -> Loss.parse(null)));
    assertEquals("unknown activation 'swish'; expected relu, leaky_relu, sigmoid, tanh, gelu "
        + "or identity", message(() -> Activation.parse("swish")));
    assertEquals("unknown input layout 'csr'; expected auto, dense or sparse",
        message(() -> InputLayout.parse("csr")));
    assertEquals("a", Named.alternatives(List.of("a")));
  }

  private static Object parse(Class<? extends Enum<?>> type, String text) {
    try {
      return type.getMethod("parse", String.class).invoke(null, text);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(type + " has no static parse(String)", e);
    }
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
