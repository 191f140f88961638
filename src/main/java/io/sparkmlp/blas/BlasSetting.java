package io.sparkmlp.blas;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The BLAS setting of a JVM: {@code auto} (the default) or a forced choice. Its one name is
 * {@value #PROPERTY}: a Spark conf (driver and executors, read by {@code io.sparkmlp.train.BlasPlugin}),
 * or a JVM system property; the environment variable {@value #ENV} is read when neither is set.
 *
 * <p>Values: {@code auto}, {@code system}, {@code bundled}, {@code vector}, {@code java}, or the
 * path of a BLAS shared library (anything with a {@code /}; e.g. MKL's
 * {@code /opt/intel/oneapi/mkl/latest/lib/libmkl_rt.so.2}).
 *
 * @param forced the forced kind, or null for auto
 * @param library the library's path when {@code forced} is {@link BlasKind#LIBRARY}
 * @param source where the value came from, for the log ("spark.mlp.blas=bundled")
 */
public record BlasSetting(BlasKind forced, Path library, String source) {
  public static final String PROPERTY = "spark.mlp.blas";
  public static final String ENV = "SPARK_MLP_BLAS";
  public static final String VALUES = "auto, system, bundled, vector, java or a library path";

  /** auto, from nowhere in particular. */
  public static final BlasSetting AUTO = new BlasSetting(null, null, "auto");

  /**
   * Parses {@code value} read from {@code where} (a property or variable name); null or blank
   * means auto.
   */
  public static BlasSetting parse(String value, String where) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    String v = value.trim();
    String source = where + "=" + v;
    if (v.contains("/")) {
      return new BlasSetting(BlasKind.LIBRARY, Path.of(v).toAbsolutePath().normalize(), source);
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.equals("auto")) {
      return new BlasSetting(null, null, source);
    }
    for (BlasKind k : BlasKind.values()) {
      if (k != BlasKind.LIBRARY && k.optionName().equals(lower)) {
        return new BlasSetting(k, null, source);
      }
    }
    throw new IllegalArgumentException(where + ": unknown BLAS '" + v + "'; expected " + VALUES);
  }

  /**
   * The setting of this JVM: {@code sparkConf} (the Spark conf's value, null when there is none
   * or no Spark), else the system property, else the environment variable, else auto.
   */
  public static BlasSetting resolve(String sparkConf) {
    if (sparkConf != null && !sparkConf.isBlank()) {
      return parse(sparkConf, PROPERTY);
    }
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return parse(property, PROPERTY);
    }
    return parse(System.getenv(ENV), ENV);
  }

  public boolean auto() {
    return forced == null;
  }

  /** The value that reproduces this setting ("auto", "bundled" or the library's path). */
  public String value() {
    return forced == null ? "auto" : forced == BlasKind.LIBRARY ? library.toString()
        : forced.optionName();
  }
}
