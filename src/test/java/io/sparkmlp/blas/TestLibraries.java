package io.sparkmlp.blas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Real shared libraries for the BLAS tests, made from the bundled OpenBLAS and the JDK. */
final class TestLibraries {
  private TestLibraries() {}

  static Platform platform() {
    return Platform.current();
  }

  /** The bundled OpenBLAS extracted into {@code cacheRoot}: the library's path. */
  static Path bundled(Path cacheRoot) throws Exception {
    return BundledOpenBlas.ofClassPath(platform()).extractTo(new LibraryCache(cacheRoot));
  }

  /**
   * A folder holding a working {@code libblas.so.3}: the bundled OpenBLAS under that name with
   * its GCC runtime beside it (as a system package would install it).
   */
  static Path workingSystemDir(Path cacheRoot, Path dir) throws Exception {
    Path lib = bundled(cacheRoot);
    Files.createDirectories(dir);
    try (var files = Files.list(lib.getParent())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith("lib")) {
          link(f, dir.resolve(name.equals(platform().openBlasFile()) ? "libblas.so.3" : name));
        }
      }
    }
    return dir;
  }

  /** A real ELF shared library of this JVM's processor that is not a BLAS. */
  static Path notABlas() {
    return Path.of(System.getProperty("java.home"), "lib", "libzip.so");
  }

  /**
   * {@code src} with every "openblas_" in it renamed, so no function marks it as OpenBLAS: an
   * unidentified BLAS (like the reference one) to the checks, which never load it.
   */
  static Path withoutOpenBlasMarkers(Path src, Path dst) throws IOException {
    byte[] b = Files.readAllBytes(src);
    byte[] marker = "openblas_".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = Bytes.indexOf(b, marker, 0); i >= 0; i = Bytes.indexOf(b, marker, i + 1)) {
      b[i] = 'x';
    }
    Files.createDirectories(dst.getParent());
    Files.write(dst, b);
    return dst;
  }

  private static void link(Path target, Path link) throws IOException {
    try {
      Files.createLink(link, target);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(target, link, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
