package io.sparkmlp.blas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.reflect.Method;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point to BLAS: every kernel, scorer and benchmark takes its instance from
 * {@link #get()}, never from netlib's {@code BLAS.getInstance()} directly.
 *
 * <p>netlib binds one BLAS per JVM, the first time anything asks for it, and reads its system
 * properties only then ({@code dev.ludovic.netlib.blas.nativeLibPath} in its JNI library's
 * {@code JNI_OnLoad}, {@code allowNative} in its {@code InstanceBuilder}). So the choice is made
 * here once per JVM, before netlib is asked: {@link BlasSelector} decides from the setting
 * ({@link BlasSetting}) and checks any native library first ({@link NativeBlas}); netlib is then
 * handed only that checked path, or told not to try native code at all, and never prints its
 * raw {@code JNI_OnLoad} lines. The choice is logged once, e.g.
 * {@code BLAS: OpenBLAS 0.3.31 (bundled), 1 thread [auto: system: no libblas.so.3 …]}.
 *
 * <p>The first call decides: {@link #get()} / {@link #choice()} with the setting of the system
 * property or environment, or {@link #select(BlasSetting)} (Spark's driver and executors call it
 * at start-up through {@code io.sparkmlp.train.BlasPlugin} with the Spark conf's value). A
 * later call with another setting changes nothing and says so.
 */
public final class Blas {
  static final String NATIVE_LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
  static final String ALLOW_NATIVE = "dev.ludovic.netlib.blas.allowNative";

  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  /** Held so its level sticks: netlib's own "Using …" line would repeat ours on stderr. */
  private static final java.util.logging.Logger NETLIB_LOG =
      java.util.logging.Logger.getLogger("dev.ludovic.netlib");
  private static volatile BlasChoice chosen;
  private static BlasSetting chosenWith;

  private Blas() {}

  /** The BLAS of this JVM, chosen on first use. */
  public static BLAS get() {
    return choice().blas();
  }

  /** The BLAS of this JVM and why, chosen on first use from the property or environment. */
  public static BlasChoice choice() {
    BlasChoice c = chosen;
    return c != null ? c : select(BlasSetting.resolve(null));
  }

  /**
   * Chooses this JVM's BLAS with {@code setting} unless it was chosen already (then a differing
   * setting is only logged: netlib cannot change its BLAS in a running JVM).
   *
   * @throws IllegalArgumentException when a forced choice cannot be used here
   */
  public static synchronized BlasChoice select(BlasSetting setting) {
    if (chosen != null) {
      if (!setting.value().equals(chosenWith.value())) {
        LOG.warn("BLAS already chosen in this JVM with {}: {}; {} is not applied",
            chosenWith.source(), chosen.summary(), setting.source());
      }
      return chosen;
    }
    BlasChoice c = apply(BlasSelector.ofThisJvm().plan(setting));
    LOG.info(c.logLine());
    chosenWith = setting;
    chosen = c;
    return c;
  }

  /** Hands the plan to netlib and returns what the kernels will call. */
  static BlasChoice apply(BlasPlan plan) {
    NETLIB_LOG.setLevel(Level.WARNING);
    System.setProperty(ALLOW_NATIVE, Boolean.toString(plan.kind().isNative()));
    if (plan.library() != null && plan.library().path() != null) {
      System.setProperty(NATIVE_LIB_PATH, plan.library().path().toString());
    }
    BLAS netlib = BLAS.getInstance();
    switch (plan.kind()) {
      case JAVA:
        return new BlasChoice(BlasKind.JAVA, "Java11BLAS (plain Java)", null,
            Implementation.count(1), plan.reason(), plainJava());
      case VECTOR:
        return netlib.getClass().getSimpleName().equals("VectorBLAS")
            ? new BlasChoice(BlasKind.VECTOR, "VectorBLAS (Java Vector API)", null,
                Implementation.count(1), plan.reason(), netlib)
            : initialisedBefore(plan, netlib);
      default:
        return netlib instanceof NativeBLAS
            ? new BlasChoice(plan.kind(), plan.library().label(), plan.library().path(),
                threads(plan.library().implementation()), plan.reason(), netlib)
            : initialisedBefore(plan, netlib);
    }
  }

  /** Threads per call of a native BLAS, with OpenBLAS's kernel choice when forced. */
  private static String threads(Implementation impl) {
    String threads = impl.threads(System.getenv(), Runtime.getRuntime().availableProcessors());
    String coretype = System.getenv("OPENBLAS_CORETYPE");
    return impl == Implementation.OPENBLAS && coretype != null
        ? threads + ", OPENBLAS_CORETYPE=" + coretype : threads;
  }

  /** netlib had bound its BLAS before this selection (something called it first). */
  private static BlasChoice initialisedBefore(BlasPlan plan, BLAS netlib) {
    String name = netlib.getClass().getSimpleName();
    BlasKind kind = netlib instanceof NativeBLAS ? BlasKind.SYSTEM
        : name.equals("VectorBLAS") ? BlasKind.VECTOR : BlasKind.JAVA;
    return new BlasChoice(kind, "netlib " + name, null, null, plan.reason()
        + "; but netlib had bound its BLAS before spark-mlp's selection ran (another library "
        + "called BLAS.getInstance() first), so the " + plan.kind().optionName()
        + " choice could not be applied", netlib);
  }

  /** netlib's plain-Java BLAS, even when the Vector API would be available. */
  private static BLAS plainJava() {
    try {
      Class<?> c = Class.forName("dev.ludovic.netlib.blas.Java11BLAS", true,
          BLAS.class.getClassLoader());
      Method m = c.getMethod("getInstance");
      m.setAccessible(true);
      return (BLAS) m.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("netlib's Java11BLAS cannot be instantiated", e);
    }
  }
}
