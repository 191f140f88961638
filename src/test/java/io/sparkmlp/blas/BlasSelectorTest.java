package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The selection order on real files: the system's {@code libblas.so.3} found through a library
 * search path of the test's own folders (no system folders), the bundled OpenBLAS of the class
 * path (or a class loader without it), a cache in a temporary folder. Nothing here touches
 * netlib; {@link BlasChoiceJvmTest} checks what netlib then binds.
 */
class BlasSelectorTest {
  @TempDir
  Path tmp;
  private Platform platform;
  private Path cache;

  @BeforeEach
  void setUp() {
    platform = TestLibraries.platform();
    cache = tmp.resolve("cache");
  }

  private BlasSelector selector(Path systemDir, boolean bundled, boolean vectorApi) {
    LibrarySearch search = new LibrarySearch(systemDir == null ? List.of() : List.of(systemDir),
        tmp.resolve("no-ld.so.cache"), List.of());
    ClassLoader loader = bundled ? getClass().getClassLoader()
        : new URLClassLoader(new URL[0], null);
    return new BlasSelector(platform, search, new BundledOpenBlas(loader, platform),
        List.of(new LibraryCache(cache)), vectorApi);
  }

  /** A broken system library: what it is, the problem the checks name, how to make it. */
  private record Broken(String what, String problem, FileMaker make) {}

  @FunctionalInterface
  private interface FileMaker {
    void accept(Path lib) throws Exception;
  }

  private static BlasSetting forced(String value) {
    return BlasSetting.parse(value, BlasSetting.PROPERTY);
  }

  @Test
  void autoTakesASystemBlasThatLoads() throws Exception {
    Path sys = TestLibraries.workingSystemDir(tmp.resolve("setup"), tmp.resolve("sys"));
    BlasPlan plan = selector(sys, true, true).plan(BlasSetting.AUTO);
    assertEquals(BlasKind.SYSTEM, plan.kind());
    assertEquals(sys.resolve("libblas.so.3"), plan.library().path());
    assertEquals("OpenBLAS 0.3.31", plan.library().label());
    assertTrue(!Files.exists(cache), "the bundled copy was not needed: " + cache);
  }

  @Test
  void autoPassesOverSystemLibrariesThatCannotLoadForTheBundledOne() throws Exception {
    Path sys = Files.createDirectories(tmp.resolve("sys"));
    Path bundled = TestLibraries.bundled(tmp.resolve("setup"));
    List<Broken> cases = List.of(
        new Broken("an empty file", "not an ELF file (0 bytes)", Files::createFile),
        new Broken("the first MiB of OpenBLAS", "truncated",
            lib -> Files.write(lib, Arrays.copyOf(Files.readAllBytes(bundled), 1 << 20))),
        new Broken("a library that is no BLAS", "does not define ",
            lib -> Files.copy(TestLibraries.notABlas(), lib)),
        new Broken("a node whose file is masked by /dev/null", "not a regular file",
            lib -> Files.createSymbolicLink(lib, Path.of("/dev/null"))));
    for (Broken c : cases) {
      Path lib = sys.resolve("libblas.so.3");
      Files.deleteIfExists(lib);
      c.make.accept(lib);
      BlasPlan plan = selector(sys, true, true).plan(BlasSetting.AUTO);
      assertEquals(BlasKind.BUNDLED, plan.kind(), c.what);
      assertTrue(plan.reason().contains("system: " + lib + ": " + c.problem), c.what + ": "
          + plan.reason());
      assertEquals("OpenBLAS 0.3.31", plan.library().label());
      assertTrue(plan.library().path().startsWith(cache), plan.library().path().toString());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> selector(sys, true, true).plan(forced("system")), c.what);
      assertTrue(e.getMessage().startsWith("spark.mlp.blas=system cannot be used: " + lib + ": "
          + c.problem), e.getMessage());
    }
  }

  @Test
  void autoPassesOverAnUnidentifiedSystemBlasButForcingSystemTakesIt() throws Exception {
    Path sys = TestLibraries.workingSystemDir(tmp.resolve("setup"), tmp.resolve("sys"));
    Path lib = sys.resolve("libblas.so.3");
    Files.delete(lib);
    TestLibraries.withoutOpenBlasMarkers(TestLibraries.bundled(tmp.resolve("setup")), lib);
    BlasPlan plan = selector(sys, true, true).plan(BlasSetting.AUTO);
    assertEquals(BlasKind.BUNDLED, plan.kind());
    assertTrue(plan.reason().contains("system: " + lib + " is an unidentified BLAS (likely the "
        + "unoptimised reference BLAS"), plan.reason());
    // forced, it is loaded (this renamed copy then fails to load: it is not a working library)
    String forced = assertThrows(IllegalArgumentException.class,
        () -> selector(sys, true, true).plan(forced("system"))).getMessage();
    assertTrue(forced.contains(lib + ": does not load: "), forced);
  }

  @Test
  void withoutSystemOrBundledAutoFallsToTheVectorApiThenToJava() {
    BlasPlan vector = selector(null, false, true).plan(BlasSetting.AUTO);
    assertEquals(BlasKind.VECTOR, vector.kind());
    assertNull(vector.library());
    assertTrue(vector.reason().contains("system: no libblas.so.3 on the library path"),
        vector.reason());
    assertTrue(vector.reason().contains("bundled: no org/bytedeco/openblas/"
        + platform.classifier() + "/" + platform.openBlasFile() + " on the class path"),
        vector.reason());
    BlasPlan java = selector(null, false, false).plan(BlasSetting.AUTO);
    assertEquals(BlasKind.JAVA, java.kind());
    assertTrue(java.reason().contains("vector: module jdk.incubator.vector is not enabled"),
        java.reason());
  }

  @Test
  void aForcedChoiceWinsOverTheOrderOrFailsNamingTheSetting() throws Exception {
    Path sys = TestLibraries.workingSystemDir(tmp.resolve("setup"), tmp.resolve("sys"));
    assertEquals(BlasKind.BUNDLED, selector(sys, true, true).plan(forced("bundled")).kind());
    assertEquals(BlasKind.VECTOR, selector(sys, true, true).plan(forced("Vector")).kind());
    assertEquals(BlasKind.JAVA, selector(sys, true, true).plan(forced("java")).kind());
    Path own = sys.resolve("libblas.so.3");
    BlasPlan library = selector(null, false, false).plan(forced(own.toString()));
    assertEquals(BlasKind.LIBRARY, library.kind());
    assertEquals("OpenBLAS 0.3.31", library.library().label());

    String bundled = assertThrows(IllegalArgumentException.class,
        () -> selector(sys, false, true).plan(forced("bundled"))).getMessage();
    assertTrue(bundled.startsWith("spark.mlp.blas=bundled cannot be used: no org/bytedeco/"),
        bundled);
    String vector = assertThrows(IllegalArgumentException.class,
        () -> selector(sys, true, false).plan(forced("vector"))).getMessage();
    assertTrue(vector.contains("--add-modules=jdk.incubator.vector"), vector);
    Path zip = TestLibraries.notABlas();
    String notBlas = assertThrows(IllegalArgumentException.class,
        () -> selector(sys, true, true).plan(forced(zip.toString()))).getMessage();
    assertTrue(notBlas.startsWith("spark.mlp.blas=" + zip + " cannot be used: " + zip
        + ": does not define"), notBlas);
    String missing = assertThrows(IllegalArgumentException.class,
        () -> selector(sys, true, true).plan(forced("/no/such/libmkl_rt.so"))).getMessage();
    assertTrue(missing.endsWith("/no/such/libmkl_rt.so: no such file"), missing);
  }

  @Test
  void aBundledFileMissingFromTheCacheIsExtractedAgain() throws Exception {
    BlasPlan first = selector(null, true, true).plan(BlasSetting.AUTO);
    Path folder = first.library().path().getParent();
    Files.delete(folder.resolve(platform.openBlasCompanions().get(0)));
    Files.delete(first.library().path());
    BlasPlan again = selector(null, true, true).plan(BlasSetting.AUTO);
    assertEquals(first.library().path(), again.library().path());
    assertTrue(Files.isRegularFile(folder.resolve(platform.openBlasCompanions().get(0))));
  }

  @Test
  void aPlatformWithoutBundledOpenBlasGetsTheVectorApi() {
    platform = new Platform(Platform.LINUX, "riscv64");
    BlasPlan plan = selector(null, true, true).plan(BlasSetting.AUTO);
    assertEquals(BlasKind.VECTOR, plan.kind());
    assertTrue(plan.reason().contains("openblas/linux-riscv64/libopenblas.so.0 on the class path"),
        plan.reason());
  }
}
