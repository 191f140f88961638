package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The BLAS of the test JVM is the one its setting asks for: the parity tests run once with
 * auto and once per forced BLAS (pom.xml, executions parity-*-blas), and this test, run with
 * them, fails if a run did not get its BLAS. With auto on Linux it is the system's OpenBLAS
 * when the machine has one, else the bundled one.
 */
class BlasInUseTest {
  @Test
  void theTestJvmHasTheBlasItsSettingAsksFor() {
    BlasSetting setting = BlasSetting.resolve(null);
    BlasChoice choice = Blas.choice();
    if (!setting.auto()) {
      assertEquals(setting.forced(), choice.kind(), choice.logLine());
      return;
    }
    Platform p = Platform.current();
    if (p.linux() && p.elfMachine() > 0) {
      boolean system = !LibrarySearch.of(p).find(BlasSelector.SYSTEM_SONAME).isEmpty();
      assertTrue(choice.kind() == BlasKind.BUNDLED || (system && choice.kind() == BlasKind.SYSTEM),
          choice.logLine());
      assertTrue(choice.blas() instanceof dev.ludovic.netlib.blas.NativeBLAS, choice.logLine());
    }
  }
}
