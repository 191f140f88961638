package io.sparkmlp.blas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a shared library by name where Linux's dynamic linker would ({@code dlopen("libblas.so.3")}):
 * the folders of {@code LD_LIBRARY_PATH}, then the linker's cache {@code /etc/ld.so.cache} (what
 * {@code ldconfig} built from {@code /etc/ld.so.conf}), then the default folders. netlib is then
 * handed the absolute path of a file that was checked, so it never tries a name that fails.
 */
final class LibrarySearch {
  private static final byte[] CACHE_MAGIC =
      "glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_CACHE_BYTES = 64 << 20;

  private final List<Path> envDirs;
  private final Path cacheFile;
  private final List<Path> defaultDirs;

  LibrarySearch(List<Path> envDirs, Path cacheFile, List<Path> defaultDirs) {
    this.envDirs = envDirs;
    this.cacheFile = cacheFile;
    this.defaultDirs = defaultDirs;
  }

  /** The dynamic linker's search of this process on {@code platform}. */
  static LibrarySearch of(Platform platform) {
    List<Path> env = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(":")) {
        if (!d.isEmpty()) {
          env.add(Path.of(d));
        }
      }
    }
    String triplet = platform.multiarch();
    return new LibrarySearch(env, Path.of("/etc/ld.so.cache"), List.of(
        Path.of("/lib", triplet), Path.of("/usr/lib", triplet), Path.of("/lib64"),
        Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib")));
  }

  /** The files called {@code soname}, in the order the dynamic linker would try them. */
  List<Path> find(String soname) {
    Set<Path> out = new LinkedHashSet<>();
    for (Path d : envDirs) {
      addIfFile(out, d.resolve(soname));
    }
    for (Path p : cached(soname)) {
      addIfFile(out, p);
    }
    for (Path d : defaultDirs) {
      addIfFile(out, d.resolve(soname));
    }
    return new ArrayList<>(out);
  }

  /**
   * Where {@code name}, needed by {@code lib}, is loaded from: {@code lib}'s run path first
   * ({@code $ORIGIN} is the folder of {@code lib}'s real file), then {@link #find}; null if
   * nowhere.
   */
  Path needed(String name, ElfLibrary lib) {
    Path origin;
    try {
      origin = lib.path.toRealPath().getParent();
    } catch (IOException e) {
      origin = lib.path.toAbsolutePath().getParent();
    }
    for (String dir : lib.runPath) {
      Path p = Path.of(dir.replace("${ORIGIN}", origin.toString())
          .replace("$ORIGIN", origin.toString())).resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    List<Path> found = find(name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static void addIfFile(Set<Path> out, Path p) {
    if (Files.exists(p) && !Files.isDirectory(p)) {
      out.add(p.toAbsolutePath().normalize());
    }
  }

  /** The paths {@code /etc/ld.so.cache} lists for {@code soname} (none if it is unreadable). */
  private List<Path> cached(String soname) {
    List<Path> out = new ArrayList<>();
    byte[] file;
    try {
      if (!Files.isRegularFile(cacheFile) || Files.size(cacheFile) > MAX_CACHE_BYTES) {
        return out;
      }
      file = Files.readAllBytes(cacheFile);
    } catch (IOException e) {
      return out;
    }
    int base = Bytes.indexOf(file, CACHE_MAGIC, 0);
    if (base < 0 || base + 48 > file.length) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long entries = Integer.toUnsignedLong(b.getInt(base + 20));
    for (long i = 0; i < entries; i++) {
      long at = base + 48 + 24 * i;
      if (at + 24 > file.length) {
        break;
      }
      String key = Bytes.cString(file, base + b.getInt((int) at + 4));
      if (soname.equals(key)) {
        out.add(Path.of(Bytes.cString(file, base + b.getInt((int) at + 8))));
      }
    }
    return out;
  }
}
