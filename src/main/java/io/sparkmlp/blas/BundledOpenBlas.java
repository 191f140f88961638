package io.sparkmlp.blas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The OpenBLAS that ships inside our Maven dependencies: bytedeco's
 * {@code org.bytedeco:openblas:<version>:<platform>} jar (in the application jar, or beside it on
 * the class path) holds {@code org/bytedeco/openblas/<platform>/libopenblas.so.0} built with
 * every CPU's kernels ({@code DYNAMIC_ARCH}), the GCC runtime it needs beside it (found through
 * its {@code $ORIGIN} run path) and {@code lib/pkgconfig/openblas.pc} with its version. A
 * shared library cannot be loaded from inside a jar, so the files are extracted to a
 * {@link LibraryCache} first.
 *
 * <p>The files are looked for in the class loader of spark-mlp's own classes, then in the
 * thread's context class loader: on a Spark executor that is the user class loader, which holds
 * the jars of {@code --jars} even where spark-mlp itself came on the executor's class path
 * ({@code spark.executor.extraClassPath}). All files are read from the first loader that has the
 * library, so the library and its GCC runtime always come from the same jar.
 */
final class BundledOpenBlas {
  static final String RESOURCES = "org/bytedeco/openblas/";

  private final List<ClassLoader> loaders;
  private final Platform platform;

  /** Looks in {@code loaders} in order (nulls skipped). */
  BundledOpenBlas(List<ClassLoader> loaders, Platform platform) {
    this.loaders = loaders.stream().filter(Objects::nonNull).distinct().toList();
    this.platform = platform;
  }

  BundledOpenBlas(ClassLoader loader, Platform platform) {
    this(List.of(loader), platform);
  }

  /**
   * The bundled OpenBLAS of this JVM's platform, looked for in spark-mlp's class loader, then
   * in the calling thread's context class loader.
   */
  static BundledOpenBlas ofClassPath(Platform platform) {
    return new BundledOpenBlas(Arrays.asList(BundledOpenBlas.class.getClassLoader(),
        Thread.currentThread().getContextClassLoader()), platform);
  }

  private String folder() {
    return RESOURCES + platform.classifier() + "/";
  }

  /** The first loader that has the library, or null. */
  private ClassLoader loader() {
    for (ClassLoader l : loaders) {
      if (l.getResource(folder() + platform.openBlasFile()) != null) {
        return l;
      }
    }
    return null;
  }

  /** The library and the companions present for this platform; the library comes first. */
  List<NativeFile> files() throws NativeBlas.Unusable {
    ClassLoader loader = loader();
    if (loader == null) {
      throw new NativeBlas.Unusable("no " + folder() + platform.openBlasFile()
          + " on the class path (org.bytedeco:openblas, classifier " + platform.classifier()
          + ")");
    }
    URL main = loader.getResource(folder() + platform.openBlasFile());
    List<NativeFile> out = new ArrayList<>();
    try {
      out.add(NativeFile.of(platform.openBlasFile(), main));
      for (String name : platform.openBlasCompanions()) {
        URL u = loader.getResource(folder() + name);
        if (u != null) {
          out.add(NativeFile.of(name, u));
        }
      }
    } catch (IOException e) {
      throw new NativeBlas.Unusable("cannot read " + main + ": " + e.getMessage());
    }
    return out;
  }

  /** The version from bytedeco's {@code openblas.pc} ("0.3.31"), or null. */
  String version() {
    ClassLoader loader = loader();
    URL pc = loader == null ? null : loader.getResource(folder() + "lib/pkgconfig/openblas.pc");
    if (pc == null) {
      return null;
    }
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(pc.openStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("version=")) {
          return line.substring("version=".length()).trim();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /**
   * Extracts the files into {@code cache} and returns the library's path there. The cache
   * folder is named after the version, platform and the library's CRC-32, so different builds
   * never share one.
   */
  Path extractTo(LibraryCache cache) throws NativeBlas.Unusable, IOException {
    return extractTo(cache, files());
  }

  /** {@link #extractTo(LibraryCache)} with the {@link #files()} already listed. */
  Path extractTo(LibraryCache cache, List<NativeFile> files) throws IOException {
    String version = version();
    String name = "openblas-" + (version == null ? "" : version + "-") + platform.classifier()
        + "-" + String.format("%08x", files.get(0).crc());
    return cache.install(name, files).resolve(platform.openBlasFile());
  }
}
