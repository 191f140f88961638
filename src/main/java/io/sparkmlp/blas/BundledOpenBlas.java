package io.sparkmlp.blas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenBLAS that ships inside our Maven dependencies: bytedeco's
 * {@code org.bytedeco:openblas:<version>:<platform>} jar (in the application jar, or beside it on
 * the class path) holds {@code org/bytedeco/openblas/<platform>/libopenblas.so.0} built with
 * every CPU's kernels ({@code DYNAMIC_ARCH}), the GCC runtime it needs beside it (found through
 * its {@code $ORIGIN} run path) and {@code lib/pkgconfig/openblas.pc} with its version. A
 * shared library cannot be loaded from inside a jar, so the files are extracted to a
 * {@link LibraryCache} first.
 */
final class BundledOpenBlas {
  static final String RESOURCES = "org/bytedeco/openblas/";

  private final ClassLoader loader;
  private final Platform platform;

  BundledOpenBlas(ClassLoader loader, Platform platform) {
    this.loader = loader;
    this.platform = platform;
  }

  /** The bundled OpenBLAS of this JVM's class path and platform. */
  static BundledOpenBlas ofClassPath(Platform platform) {
    return new BundledOpenBlas(BundledOpenBlas.class.getClassLoader(), platform);
  }

  private String folder() {
    return RESOURCES + platform.classifier() + "/";
  }

  /** The library and the companions present for this platform; the library comes first. */
  List<NativeFile> files() throws NativeBlas.Unusable {
    URL main = loader.getResource(folder() + platform.openBlasFile());
    if (main == null) {
      throw new NativeBlas.Unusable("no " + folder() + platform.openBlasFile()
          + " on the class path (org.bytedeco:openblas, classifier " + platform.classifier()
          + ")");
    }
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
    URL pc = loader.getResource(folder() + "lib/pkgconfig/openblas.pc");
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
