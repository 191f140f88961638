package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The setting's values, the order of its sources, and the threads line of the log. */
class BlasSettingTest {
  @Test
  void parsesEveryValue() {
    assertTrue(BlasSetting.parse(null, "X").auto());
    assertTrue(BlasSetting.parse(" ", "X").auto());
    assertTrue(BlasSetting.parse("AUTO", "X").auto());
    for (BlasKind k : new BlasKind[] {BlasKind.SYSTEM, BlasKind.BUNDLED, BlasKind.VECTOR,
        BlasKind.JAVA}) {
      BlasSetting s = BlasSetting.parse(" " + k.optionName().toUpperCase() + " ", "spark.mlp.blas");
      assertEquals(k, s.forced());
      assertEquals(k.optionName(), s.value());
      assertEquals("spark.mlp.blas=" + k.optionName().toUpperCase(), s.source());
    }
    BlasSetting lib = BlasSetting.parse("/opt/intel/mkl/lib/../lib/libmkl_rt.so.2", "SPARK_MLP_BLAS");
    assertEquals(BlasKind.LIBRARY, lib.forced());
    assertEquals(Path.of("/opt/intel/mkl/lib/libmkl_rt.so.2"), lib.library());
    BlasSetting relative = BlasSetting.parse("./libblis.so", "X");
    assertEquals(Path.of("libblis.so").toAbsolutePath(), relative.library());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlasSetting.parse("openblas", "spark.mlp.blas"));
    assertEquals("spark.mlp.blas: unknown BLAS 'openblas'; expected auto, system, bundled, vector, "
        + "java or a library path", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BlasSetting.parse("library", "X"));
  }

  @Test
  void aSparkConfWinsOverTheSystemPropertyWhichWinsOverTheEnvironment() {
    String before = System.getProperty(BlasSetting.PROPERTY);
    try {
      System.setProperty(BlasSetting.PROPERTY, "vector");
      assertEquals(BlasKind.JAVA, BlasSetting.resolve("java").forced());
      assertEquals(BlasKind.VECTOR, BlasSetting.resolve(null).forced());
      System.clearProperty(BlasSetting.PROPERTY);
      assertEquals(System.getenv(BlasSetting.ENV) == null, BlasSetting.resolve(null).auto());
    } finally {
      if (before == null) {
        System.clearProperty(BlasSetting.PROPERTY);
      } else {
        System.setProperty(BlasSetting.PROPERTY, before);
      }
    }
  }

  @Test
  void threadsFollowEachImplementationsVariables() {
    assertEquals("1 thread", Implementation.OPENBLAS.threads(Map.of("OPENBLAS_NUM_THREADS", "1",
        "OMP_NUM_THREADS", "8"), 16));
    assertEquals("8 threads", Implementation.OPENBLAS.threads(Map.of("OMP_NUM_THREADS", "8"), 16));
    assertEquals("16 threads (all cores; set OPENBLAS_NUM_THREADS)",
        Implementation.OPENBLAS.threads(Map.of("OPENBLAS_NUM_THREADS", "zero"), 16));
    assertEquals("4 threads", Implementation.MKL.threads(Map.of("MKL_NUM_THREADS", "4"), 16));
    assertEquals("1 thread", Implementation.BLIS.threads(Map.of(), 16));
    assertNull(Implementation.UNIDENTIFIED.threads(Map.of("OMP_NUM_THREADS", "2"), 16));
  }

  @Test
  void identifiesImplementationsByTheirOwnFunctions() {
    assertEquals(Implementation.OPENBLAS,
        Implementation.of(java.util.Set.of("sgemm_", "openblas_get_config")));
    assertEquals(Implementation.MKL, Implementation.of(java.util.Set.of("sgemm_", "mkl_get_version")));
    assertEquals(Implementation.BLIS,
        Implementation.of(java.util.Set.of("sgemm_", "bli_info_get_version_str")));
    assertEquals(Implementation.UNIDENTIFIED,
        Implementation.of(java.util.Set.of("sgemm_", "dgemm_", "xerbla_", "lsame_")));
  }
}
