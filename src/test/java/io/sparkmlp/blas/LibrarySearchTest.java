package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dynamic linker's search order: LD_LIBRARY_PATH folders, then the entries of an
 * {@code ld.so.cache} file (glibc's format, written here with its old-format prefix and without),
 * then the default folders; and a needed library through the run path's {@code $ORIGIN}.
 */
class LibrarySearchTest {
  @TempDir
  Path tmp;

  /** A glibc 2.32+ cache ("glibc-ld.so.cache1.1") mapping each soname to its path. */
  private static byte[] cache(boolean oldPrefix, String... sonameAndPath) {
    int n = sonameAndPath.length / 2;
    ByteArrayOutputStream strings = new ByteArrayOutputStream();
    int[] offsets = new int[sonameAndPath.length];
    int stringsAt = 48 + 24 * n;
    for (int i = 0; i < sonameAndPath.length; i++) {
      offsets[i] = stringsAt + strings.size();
      strings.writeBytes(sonameAndPath[i].getBytes(StandardCharsets.UTF_8));
      strings.write(0);
    }
    ByteBuffer b = ByteBuffer.allocate(stringsAt + strings.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
    b.putInt(n).putInt(strings.size()).put((byte) 2).position(48);
    for (int i = 0; i < n; i++) {
      b.putInt(0x303).putInt(offsets[2 * i]).putInt(offsets[2 * i + 1]).putInt(0).putLong(0);
    }
    b.put(strings.toByteArray());
    if (!oldPrefix) {
      return b.array();
    }
    ByteBuffer old = ByteBuffer.allocate(16 + 12 + b.capacity() + 4).order(ByteOrder.LITTLE_ENDIAN);
    old.put("ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII)).position(12);
    old.putInt(1).putInt(3).putInt(0).putInt(0).putInt(0).put(b.array());
    return old.array();
  }

  @Test
  void followsTheLinkersOrder() throws Exception {
    Path env = Files.createDirectories(tmp.resolve("env"));
    Path cached = Files.createDirectories(tmp.resolve("cached"));
    Path dflt = Files.createDirectories(tmp.resolve("default"));
    for (Path d : List.of(env, cached, dflt)) {
      Files.createFile(d.resolve("libblas.so.3"));
    }
    Files.createFile(cached.resolve("libz.so.1"));
    for (boolean oldPrefix : new boolean[] {false, true}) {
      Path cacheFile = Files.write(tmp.resolve("ld.so.cache"), cache(oldPrefix,
          "libz.so.1", cached.resolve("libz.so.1").toString(),
          "libblas.so.3", cached.resolve("libblas.so.3").toString(),
          "libblas.so.3", tmp.resolve("gone/libblas.so.3").toString()));
      LibrarySearch search = new LibrarySearch(List.of(env), cacheFile, List.of(dflt));
      assertEquals(List.of(env.resolve("libblas.so.3"), cached.resolve("libblas.so.3"),
          dflt.resolve("libblas.so.3")), search.find("libblas.so.3"), "old prefix " + oldPrefix);
      assertEquals(List.of(cached.resolve("libz.so.1")), search.find("libz.so.1"));
      assertEquals(List.of(), search.find("libmkl_rt.so"));
    }
  }

  @Test
  void findsTheNeededLibrariesOfTheBundledOpenBlasBesideIt() throws Exception {
    Path lib = TestLibraries.bundled(tmp.resolve("cache"));
    LibrarySearch nowhere = new LibrarySearch(List.of(), tmp.resolve("none"), List.of());
    ElfLibrary elf = ElfLibrary.read(lib);
    assertEquals(lib.getParent().resolve("libgfortran.so.5"), nowhere.needed("libgfortran.so.5", elf));
    assertNull(nowhere.needed("libnothing.so.9", elf));
  }

  @Test
  void thisMachinesCacheFindsItsCLibrary() {
    Platform p = Platform.current();
    if (!p.linux()) {
      return;
    }
    List<Path> libc = LibrarySearch.of(p).find("libc.so.6");
    assertTrue(!libc.isEmpty() && Files.isRegularFile(libc.get(0)), libc.toString());
  }
}
