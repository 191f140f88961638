package io.sparkmlp.blas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.CRC32;

/**
 * A per-user folder that native libraries shipped in jars are extracted to, once, and reused
 * by every later JVM (executors of one node included).
 *
 * <p>A file in the cache is used only when its size and CRC-32 equal the jar entry's, checked
 * at every install (≈ 20 ms for OpenBLAS's 41 MB), so a truncated or damaged file is found and
 * replaced. Extraction holds an exclusive lock on {@code .lock} in the folder (a file lock
 * between processes, a monitor between threads of one JVM), writes each file under a
 * temporary name beside its target and renames it over the target atomically: a JVM that
 * checks or loads the files meanwhile sees either the old complete file or the new one,
 * never a half-written one, and a crash leaves only a temporary file that the next extraction
 * deletes. The cache root must be a folder no other user can write to.
 */
final class LibraryCache {
  private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final String PART = ".part";
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Path root;

  LibraryCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /**
   * The roots tried in order: {@code $XDG_CACHE_HOME/spark-mlp} or {@code ~/.cache/spark-mlp},
   * then {@code <java.io.tmpdir>/spark-mlp-<user>} (for nodes whose home is missing, read-only or
   * mounted {@code noexec}).
   */
  static List<LibraryCache> defaults() {
    List<LibraryCache> out = new ArrayList<>();
    String xdg = System.getenv("XDG_CACHE_HOME");
    String home = System.getProperty("user.home");
    if (xdg != null && !xdg.isBlank()) {
      out.add(new LibraryCache(Path.of(xdg, "spark-mlp")));
    } else if (home != null && !home.isBlank() && !"?".equals(home)) {
      out.add(new LibraryCache(Path.of(home, ".cache", "spark-mlp")));
    }
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    out.add(new LibraryCache(Path.of(System.getProperty("java.io.tmpdir"), "spark-mlp-" + user)));
    return out;
  }

  /**
   * The folder {@code name} under the root holding exactly {@code files}, extracting those
   * missing or damaged first.
   */
  Path install(String name, List<NativeFile> files) throws IOException {
    createPrivate(root);
    Path dir = root.resolve(name);
    createPrivate(dir);
    if (allValid(dir, files)) {
      return dir;
    }
    synchronized (JVM_LOCKS.computeIfAbsent(dir, k -> new Object())) {
      try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
        deleteParts(dir);
        for (NativeFile f : files) {
          if (!valid(dir.resolve(f.name()), f)) {
            extract(dir, f);
          }
        }
      }
    }
    return dir;
  }

  /** Whether {@code file} has the size and CRC-32 of {@code expected}. */
  static boolean valid(Path file, NativeFile expected) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) != expected.size()) {
      return false;
    }
    CRC32 crc = new CRC32();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    return crc.getValue() == expected.crc();
  }

  private static boolean allValid(Path dir, List<NativeFile> files) throws IOException {
    for (NativeFile f : files) {
      if (!valid(dir.resolve(f.name()), f)) {
        return false;
      }
    }
    return true;
  }

  private static void extract(Path dir, NativeFile f) throws IOException {
    Path tmp = dir.resolve("." + f.name() + "." + UUID.randomUUID() + PART);
    try {
      CRC32 crc = new CRC32();
      long size = 0;
      try (InputStream in = f.open(); OutputStream out = Files.newOutputStream(tmp,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          crc.update(buf, 0, n);
          size += n;
        }
      }
      if (size != f.size() || crc.getValue() != f.crc()) {
        throw new IOException(f.url() + " read as " + size + " bytes with CRC-32 "
            + Long.toHexString(crc.getValue()) + ", its jar entry says " + f.size() + " bytes, "
            + Long.toHexString(f.crc()));
      }
      if (POSIX) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.move(tmp, dir.resolve(f.name()), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Temporary files of an extraction that died; only called while holding the lock. */
  private static void deleteParts(Path dir) throws IOException {
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*" + PART)) {
      for (Path p : parts) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Creates {@code dir} readable and writable by this user only, or checks that an existing
   * one is not writable by others (a library another user could replace must not be loaded).
   */
  private static void createPrivate(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (dir.getParent() != null) {
        Files.createDirectories(dir.getParent());
      }
      try {
        if (POSIX) {
          Files.createDirectory(dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(dir);
        }
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another JVM created it meanwhile; checked below
      }
    }
    if (POSIX) {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
      if (p.contains(PosixFilePermission.GROUP_WRITE)
          || p.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new IOException(dir + " is writable by other users ("
            + PosixFilePermissions.toString(p) + ")");
      }
    }
  }
}
