package io.sparkmlp.nn;

import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Whether this JVM can use the JDK's Vector API ({@code jdk.incubator.vector}: submit.sh and
 * the tests add the module; a user's own spark-submit may not), and loading of the classes that
 * do. A class written on the Vector API must never be referenced directly: it is loaded by name
 * only when the module is present, with a plain-Java twin that computes the same bits as the
 * fallback.
 */
public final class VectorApi {
  private static final boolean PRESENT =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorApi() {}

  public static boolean present() {
    return PRESENT;
  }

  /**
   * A new instance of class {@code vectorClass} (public no-argument constructor) when the module
   * is present and it loads, else {@code fallback}'s.
   */
  public static <T> T load(Class<T> type, String vectorClass, Supplier<? extends T> fallback) {
    if (PRESENT) {
      try {
        java.lang.reflect.Constructor<?> c = Class.forName(vectorClass).getDeclaredConstructor();
        c.setAccessible(true); // the implementations are package-private
        return type.cast(c.newInstance());
      } catch (ReflectiveOperationException | LinkageError e) {
        LoggerFactory.getLogger(VectorApi.class).info("{} uses plain loops: {} did not load ({})",
            type.getSimpleName(), vectorClass, e.toString());
      }
    }
    return fallback.get();
  }
}
