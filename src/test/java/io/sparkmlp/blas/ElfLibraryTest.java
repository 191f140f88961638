package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ELF reader on the real bundled OpenBLAS, a JDK library and files that are not ELF. */
class ElfLibraryTest {
  @TempDir
  Path tmp;

  @Test
  void readsTheBundledOpenBlas() throws Exception {
    Path lib = TestLibraries.bundled(tmp);
    ElfLibrary elf = ElfLibrary.read(lib);
    assertEquals(TestLibraries.platform().elfMachine(), elf.machine);
    assertTrue(elf.functions.containsAll(Set.of("sgemm_", "dgemm_", "openblas_get_config")));
    assertTrue(elf.functions.containsAll(NativeBlas.netlibRoutines()));
    assertTrue(elf.needed.contains("libgfortran.so.5"), elf.needed.toString());
    assertEquals(List.of("$ORIGIN/"), elf.runPath);
    assertEquals("0.3.31", elf.versionAfter("OpenBLAS "));
    assertEquals(Implementation.OPENBLAS, Implementation.of(elf.functions));
  }

  /**
   * The linux-arm64 bundle is complete for an aarch64 node: extracted (not loaded, this is not
   * one), its library is AArch64 ELF defining every routine netlib binds, with its GCC runtime
   * beside it.
   */
  @Test
  void theArm64BundleIsCompleteForAarch64Nodes() throws Exception {
    Platform arm = new Platform(Platform.LINUX, "arm64");
    Path lib = new BundledOpenBlas(getClass().getClassLoader(), arm)
        .extractTo(new LibraryCache(tmp.resolve("arm")));
    NativeBlas blas = NativeBlas.inspect(lib, arm,
        new LibrarySearch(List.of(), tmp.resolve("none"), List.of()));
    assertEquals("OpenBLAS 0.3.31", blas.label());
    ElfLibrary elf = ElfLibrary.read(lib);
    assertEquals(ElfLibrary.EM_AARCH64, elf.machine);
    for (String needed : elf.needed) {
      if (needed.startsWith("libgfortran")) {
        assertTrue(Files.isRegularFile(lib.resolveSibling(needed)), needed);
      }
    }
  }

  @Test
  void readsALibraryThatIsNoBlas() throws Exception {
    ElfLibrary elf = ElfLibrary.read(TestLibraries.notABlas());
    assertFalse(elf.functions.contains("sgemm_"));
    assertTrue(elf.functions.contains("ZIP_Open"), "libzip.so's own API is read");
    assertNull(elf.versionAfter("OpenBLAS "));
    assertEquals(Implementation.UNIDENTIFIED, Implementation.of(elf.functions));
  }

  @Test
  void refusesFilesThatAreNotCompleteElf() throws Exception {
    Path text = Files.writeString(tmp.resolve("libblas.so.3"), "INPUT(-lopenblas)\n".repeat(8));
    assertEquals("not an ELF file", assertThrows(IOException.class,
        () -> ElfLibrary.read(text)).getMessage());
    Path empty = Files.createFile(tmp.resolve("empty.so"));
    assertEquals("not an ELF file (0 bytes)", assertThrows(IOException.class,
        () -> ElfLibrary.read(empty)).getMessage());
    byte[] whole = Files.readAllBytes(TestLibraries.notABlas());
    Path cut = Files.write(tmp.resolve("cut.so"), Arrays.copyOf(whole, whole.length / 2));
    String m = assertThrows(IOException.class, () -> ElfLibrary.read(cut)).getMessage();
    assertTrue(m.startsWith("truncated: needs bytes "), m);
    byte[] elf32 = whole.clone();
    elf32[4] = 1;
    Path thirtyTwo = Files.write(tmp.resolve("elf32.so"), elf32);
    assertEquals("not a 64-bit little-endian ELF file", assertThrows(IOException.class,
        () -> ElfLibrary.read(thirtyTwo)).getMessage());
  }
}
