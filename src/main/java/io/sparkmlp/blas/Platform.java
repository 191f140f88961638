package io.sparkmlp.blas;

import java.util.List;
import java.util.Locale;

/**
 * The operating system and processor of this JVM in the names bytedeco's native jars use
 * ({@code linux-x86_64}, {@code linux-arm64}, {@code macosx-x86_64}, {@code macosx-arm64}), and
 * what follows from them: the shared-library file names, the ELF machine, where the dynamic
 * linker looks by default.
 */
record Platform(String os, String arch) {
  static final String LINUX = "linux";
  static final String MACOS = "macosx";

  /** This JVM's platform. */
  static Platform current() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String os = name.startsWith("linux") ? LINUX
        : name.startsWith("mac") ? MACOS : name.replace(' ', '_');
    String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String arch = switch (a) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
    return new Platform(os, arch);
  }

  /** bytedeco's classifier and resource folder name, e.g. {@code linux-x86_64}. */
  String classifier() {
    return os + "-" + arch;
  }

  boolean linux() {
    return LINUX.equals(os);
  }

  boolean macos() {
    return MACOS.equals(os);
  }

  /** The ELF {@code e_machine} of this processor, or -1 where we do not check ELF files. */
  int elfMachine() {
    return switch (arch) {
      case "x86_64" -> ElfLibrary.EM_X86_64;
      case "arm64" -> ElfLibrary.EM_AARCH64;
      default -> -1;
    };
  }

  /** File name of the OpenBLAS library in bytedeco's jar. */
  String openBlasFile() {
    return macos() ? "libopenblas.0.dylib" : "libopenblas.so.0";
  }

  /**
   * The GCC runtime files OpenBLAS may need beside it (it finds them through its run path,
   * {@code $ORIGIN} / {@code @loader_path}); those absent from a platform's jar are skipped.
   */
  List<String> openBlasCompanions() {
    return macos()
        ? List.of("libgfortran.5.dylib", "libquadmath.0.dylib", "libgcc_s.1.1.dylib")
        : List.of("libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1");
  }

  /** The multiarch triplet of Debian-style library folders, e.g. {@code x86_64-linux-gnu}. */
  String multiarch() {
    return (arch.equals("arm64") ? "aarch64" : arch) + "-linux-gnu";
  }
}
