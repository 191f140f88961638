package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extraction cache: files extracted once and reused, damaged or truncated ones replaced,
 * leftovers of a dead extraction removed, many threads and many JVMs starting at once on an
 * empty cache (each ends with complete files, and none sees a half-written one), and a cache
 * folder other users could write to refused.
 */
class LibraryCacheTest {
  @TempDir
  Path tmp;
  private List<NativeFile> files;
  private List<byte[]> contents;

  /** Two jar-like source files of random bytes (1 MiB and 100 kB). */
  @BeforeEach
  void sources() throws IOException {
    files = new ArrayList<>();
    contents = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(7);
    int[] sizes = {1 << 20, 100_000};
    for (int i = 0; i < sizes.length; i++) {
      byte[] b = new byte[sizes[i]];
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) rng.nextInt(256);
      }
      Path src = Files.write(tmp.resolve("src-" + i), b);
      files.add(NativeFile.of("lib" + i + ".so", src.toUri().toURL()));
      contents.add(b);
    }
  }

  private void assertComplete(Path dir) throws IOException {
    for (int i = 0; i < files.size(); i++) {
      assertArrayEquals(contents.get(i), Files.readAllBytes(dir.resolve(files.get(i).name())),
          files.get(i).name());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".part")).toList(),
          "no temporary files left");
    }
  }

  @Test
  void extractsOnceAndReusesTheFiles() throws Exception {
    LibraryCache cache = new LibraryCache(tmp.resolve("cache"));
    Path dir = cache.install("v1", files);
    assertComplete(dir);
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(tmp.resolve("cache"))));
    Path lib = dir.resolve("lib0.so");
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(lib, old);
    Object inode = Files.getAttribute(lib, "unix:ino");
    assertEquals(dir, cache.install("v1", files));
    assertEquals(old, Files.getLastModifiedTime(lib), "an intact file is not rewritten");
    assertEquals(inode, Files.getAttribute(lib, "unix:ino"));
  }

  @Test
  void replacesDamagedTruncatedAndMissingFilesAndRemovesLeftovers() throws Exception {
    LibraryCache cache = new LibraryCache(tmp.resolve("cache"));
    Path dir = cache.install("v1", files);
    Path lib0 = dir.resolve("lib0.so");
    byte[] damaged = Files.readAllBytes(lib0);
    damaged[damaged.length / 2] ^= 0x40;
    Files.write(lib0, damaged);
    Path lib1 = dir.resolve("lib1.so");
    Files.write(lib1, java.util.Arrays.copyOf(contents.get(1), 4096));
    Path leftover = Files.write(dir.resolve(".lib0.so.0b1c.part"), new byte[10]);
    assertFalse(LibraryCache.valid(lib0, files.get(0)), "one flipped bit is seen");
    assertFalse(LibraryCache.valid(lib1, files.get(1)), "a truncated file is seen");
    cache.install("v1", files);
    assertComplete(dir);
    assertFalse(Files.exists(leftover));

    Files.delete(lib1);
    cache.install("v1", files);
    assertComplete(dir);
  }

  @Test
  void manyThreadsOnAnEmptyCacheAllGetCompleteFiles() throws Exception {
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        LibraryCache cache = new LibraryCache(tmp.resolve("cache"));
        results.add(pool.submit(() -> {
          start.await();
          Path dir = cache.install("v1", files);
          assertComplete(dir);
          return dir;
        }));
      }
      for (Future<Path> f : results) {
        assertEquals(tmp.resolve("cache").resolve("v1"), f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Four JVMs (like four executors of one node) start extracting the real bundled OpenBLAS
   * into one empty cache at the same moment; each then loads the library it got.
   */
  @Test
  void manyJvmsOnAnEmptyCacheAllLoadTheBundledLibrary() throws Exception {
    Path root = tmp.resolve("shared-cache");
    Path go = tmp.resolve("go");
    List<Process> jvms = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path out = tmp.resolve("jvm-" + i + ".out");
      outputs.add(out);
      jvms.add(new ProcessBuilder(ForkedJvm.command(CacheInstallMain.class, List.of("-Xmx256m"),
          List.of(root.toString(), go.toString()))).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start());
    }
    Files.createFile(go);
    Path lib = null;
    for (int i = 0; i < jvms.size(); i++) {
      assertTrue(jvms.get(i).waitFor(120, TimeUnit.SECONDS), "JVM " + i + " finished");
      String out = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
      assertEquals(0, jvms.get(i).exitValue(), out);
      String line = out.lines().filter(l -> l.startsWith("loaded ")).findFirst().orElseThrow(
          () -> new AssertionError("no 'loaded' line: " + out));
      Path got = Path.of(line.substring("loaded ".length()));
      if (lib == null) {
        lib = got;
      }
      assertEquals(lib, got, "every JVM got the same folder");
    }
    List<NativeFile> bundled = BundledOpenBlas.ofClassPath(Platform.current()).files();
    for (NativeFile f : bundled) {
      assertTrue(LibraryCache.valid(lib.getParent().resolve(f.name()), f), f.name());
    }
  }

  @Test
  void refusesACacheFolderOtherUsersCanWriteTo() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    IOException e = assertThrows(IOException.class,
        () -> new LibraryCache(shared).install("v1", files));
    assertTrue(e.getMessage().contains("is writable by other users (rwxrwxrwx)"), e.getMessage());
  }
}
