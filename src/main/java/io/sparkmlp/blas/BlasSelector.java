package io.sparkmlp.blas;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the BLAS of a JVM from its setting ({@link BlasSetting}) without touching netlib, so
 * the order can be tested with any library search path, class path and cache.
 *
 * <p>{@code auto} takes the first that works of:
 * <ol>
 *   <li><b>system</b>: the first {@code libblas.so.3} the dynamic linker would find that
 *       {@link NativeBlas#check passes the checks} and is an identified optimised BLAS (OpenBLAS,
 *       MKL, BLIS, …). An unidentified one, typically the reference BLAS (Debian's
 *       {@code libblas3}: ~6 GFLOPS where the bundled OpenBLAS runs ~75, BENCHMARKS.md figure 1),
 *       is passed over for the bundled OpenBLAS; forcing {@code system} still takes it. On macOS
 *       this is Accelerate, which netlib loads by itself.</li>
 *   <li><b>bundled</b>: the OpenBLAS of our Maven dependencies, extracted to the first
 *       {@link LibraryCache} root where it extracts and loads.</li>
 *   <li><b>vector</b>: netlib's VectorBLAS, when the JVM has {@code jdk.incubator.vector}.</li>
 *   <li><b>java</b>: netlib's plain Java BLAS.</li>
 * </ol>
 * A forced kind that cannot be used is an error naming the setting and the reason, never a
 * silent fallback to something slower.
 */
final class BlasSelector {
  static final String SYSTEM_SONAME = "libblas.so.3";

  private final Platform platform;
  private final LibrarySearch search;
  private final BundledOpenBlas bundled;
  private final List<LibraryCache> caches;
  private final boolean vectorApi;

  BlasSelector(Platform platform, LibrarySearch search, BundledOpenBlas bundled,
      List<LibraryCache> caches, boolean vectorApi) {
    this.platform = platform;
    this.search = search;
    this.bundled = bundled;
    this.caches = caches;
    this.vectorApi = vectorApi;
  }

  /** The selector of this JVM: its platform, linker search, class path and caches. */
  static BlasSelector ofThisJvm() {
    Platform p = Platform.current();
    return new BlasSelector(p, LibrarySearch.of(p), BundledOpenBlas.ofClassPath(p),
        LibraryCache.defaults(), ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
  }

  BlasPlan plan(BlasSetting setting) {
    if (setting.auto()) {
      return auto(setting);
    }
    try {
      return switch (setting.forced()) {
        case SYSTEM -> new BlasPlan(BlasKind.SYSTEM, system(false, new ArrayList<>()),
            setting.source());
        case BUNDLED -> new BlasPlan(BlasKind.BUNDLED, bundled(), setting.source());
        case LIBRARY -> new BlasPlan(BlasKind.LIBRARY,
            NativeBlas.check(setting.library(), platform, search), setting.source());
        case VECTOR -> {
          if (!vectorApi) {
            throw new NativeBlas.Unusable(noVectorApi());
          }
          yield BlasPlan.java(BlasKind.VECTOR, setting.source());
        }
        case JAVA -> BlasPlan.java(BlasKind.JAVA, setting.source());
      };
    } catch (NativeBlas.Unusable e) {
      throw new IllegalArgumentException(setting.source() + " cannot be used: "
          + (setting.forced() == BlasKind.LIBRARY ? setting.library() + ": " : "")
          + e.getMessage());
    }
  }

  private BlasPlan auto(BlasSetting setting) {
    List<String> passed = new ArrayList<>();
    List<String> systemPassed = new ArrayList<>();
    try {
      NativeBlas sys = system(true, systemPassed);
      return new BlasPlan(BlasKind.SYSTEM, sys, systemPassed.isEmpty() ? setting.source()
          : because(setting, List.of("system: " + String.join("; ", systemPassed))));
    } catch (NativeBlas.Unusable e) {
      passed.add("system: " + e.getMessage());
    }
    try {
      return new BlasPlan(BlasKind.BUNDLED, bundled(), because(setting, passed));
    } catch (NativeBlas.Unusable e) {
      passed.add("bundled: " + e.getMessage());
    }
    if (vectorApi) {
      return BlasPlan.java(BlasKind.VECTOR, because(setting, passed));
    }
    passed.add("vector: " + noVectorApi());
    return BlasPlan.java(BlasKind.JAVA, because(setting, passed));
  }

  private static String because(BlasSetting setting, List<String> passed) {
    return setting.source() + ": " + String.join("; ", passed);
  }

  private static String noVectorApi() {
    return "module jdk.incubator.vector is not enabled (java --add-modules=jdk.incubator.vector)";
  }

  /**
   * The system BLAS: the first {@code libblas.so.3} that passes the checks and loads, passing
   * over unidentified ones (never loaded then) when {@code identifiedOnly}; macOS: Accelerate.
   * Why each library before it was passed over is added to {@code passed}.
   */
  NativeBlas system(boolean identifiedOnly, List<String> passed) throws NativeBlas.Unusable {
    if (platform.macos()) {
      return new NativeBlas(null, Implementation.ACCELERATE, null);
    }
    if (!platform.linux()) {
      throw new NativeBlas.Unusable("not looked for on " + platform.os());
    }
    List<Path> found = search.find(SYSTEM_SONAME);
    if (found.isEmpty()) {
      throw new NativeBlas.Unusable("no " + SYSTEM_SONAME + " on the library path "
          + "(LD_LIBRARY_PATH, /etc/ld.so.cache, /usr/lib…)");
    }
    for (Path p : found) {
      try {
        NativeBlas lib = NativeBlas.inspect(p, platform, search);
        if (identifiedOnly && lib.implementation() == Implementation.UNIDENTIFIED) {
          passed.add(p + " is " + lib.label() + " (likely the unoptimised reference BLAS; "
              + BlasSetting.PROPERTY + "=system uses it anyway)");
          continue;
        }
        return NativeBlas.load(lib.path(), lib.implementation(), lib.version());
      } catch (NativeBlas.Unusable e) {
        passed.add(p + ": " + e.getMessage());
      }
    }
    throw new NativeBlas.Unusable(String.join("; ", passed));
  }

  /** The bundled OpenBLAS, extracted and loaded from the first cache root where that works. */
  NativeBlas bundled() throws NativeBlas.Unusable {
    List<NativeFile> files = bundled.files();
    List<String> problems = new ArrayList<>();
    for (LibraryCache cache : caches) {
      try {
        return NativeBlas.load(bundled.extractTo(cache, files), Implementation.OPENBLAS,
            bundled.version());
      } catch (IOException | NativeBlas.Unusable e) {
        problems.add(cache.root() + ": " + e.getMessage());
      }
    }
    throw new NativeBlas.Unusable("cannot extract and load it: " + String.join("; ", problems));
  }
}
