package io.sparkmlp.blas;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A native BLAS library checked to be safe to hand to netlib: an ELF shared object for this
 * processor that defines every BLAS routine netlib binds (itself or through the libraries it
 * needs), and that this JVM has loaded ({@link System#load}, which resolves its dependencies
 * exactly as netlib's {@code dlopen} of the same path will). A library failing any of these
 * is refused with the reason, before netlib sees it: a missing file would make netlib print a
 * raw {@code JNI_OnLoad: dlopen(...) failed} line, and a missing routine crashes the JVM on its
 * first call.
 *
 * <p>On macOS (Mach-O files) only the load is checked.
 */
record NativeBlas(Path path, Implementation implementation, String version) {

  /** A library that cannot be used, with the reason. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String reason) {
      super(reason);
    }
  }

  /** "OpenBLAS 0.3.31", "Intel MKL", "an unidentified BLAS". */
  String label() {
    return version == null ? implementation.label : implementation.label + " " + version;
  }

  /** Checks and loads {@code lib}; {@link Unusable} says why it cannot be used. */
  static NativeBlas check(Path lib, Platform platform, LibrarySearch search) throws Unusable {
    NativeBlas blas = inspect(lib, platform, search);
    return load(blas.path(), blas.implementation(), blas.version());
  }

  /** Checks {@code lib} without loading it: which BLAS it is, or why it cannot be used. */
  static NativeBlas inspect(Path lib, Platform platform, LibrarySearch search) throws Unusable {
    if (!Files.isRegularFile(lib)) {
      throw new Unusable(Files.exists(lib) ? "not a regular file" : "no such file");
    }
    Implementation impl = Implementation.UNIDENTIFIED;
    String version = null;
    if (platform.elfMachine() > 0) {
      ElfLibrary elf = read(lib);
      if (elf.machine != platform.elfMachine()) {
        throw new Unusable("built for ELF machine " + elf.machine + ", not " + platform.arch());
      }
      Set<String> functions = new HashSet<>(elf.functions);
      ElfLibrary identified = elf;
      impl = Implementation.of(elf.functions);
      for (String name : elf.needed) {
        Path dep = search.needed(name, elf);
        if (dep == null) {
          continue;
        }
        try {
          ElfLibrary d = ElfLibrary.read(dep);
          functions.addAll(d.functions);
          if (impl == Implementation.UNIDENTIFIED) {
            impl = Implementation.of(d.functions);
            identified = d;
          }
        } catch (IOException e) {
          // loading below reports a dependency that cannot be used
        }
      }
      Set<String> routines = netlibRoutines();
      Set<String> missing = new TreeSet<>(routines);
      missing.removeAll(functions);
      if (!missing.isEmpty()) {
        throw new Unusable("does not define " + missing.size() + " of the " + routines.size()
            + " BLAS routines netlib binds (" + String.join(", ", missing.stream().limit(4)
            .toList()) + (missing.size() > 4 ? ", …" : "") + "); is it a BLAS library?");
      }
      if (impl == Implementation.OPENBLAS) {
        version = identified.versionAfter("OpenBLAS ");
      }
    }
    return new NativeBlas(lib.toAbsolutePath(), impl, version);
  }

  /**
   * Loads {@code lib}, known to be {@code impl} (our own bundled file, whose content was checked
   * against its jar entry), without reading its symbols.
   */
  static NativeBlas load(Path lib, Implementation impl, String version) throws Unusable {
    try {
      System.load(lib.toAbsolutePath().toString());
    } catch (UnsatisfiedLinkError | SecurityException e) {
      throw new Unusable("does not load: " + e.getMessage());
    }
    return new NativeBlas(lib.toAbsolutePath(), impl, version);
  }

  private static ElfLibrary read(Path lib) throws Unusable {
    try {
      return ElfLibrary.read(lib);
    } catch (IOException e) {
      throw new Unusable(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * The Fortran BLAS symbols netlib's JNI library looks up ({@code sgemm_}, …): one per native
   * method of its {@code JNIBLAS} class ({@code sgemmK}), read from the class without
   * initialising it, so the list follows the netlib version on the class path.
   */
  static Set<String> netlibRoutines() throws Unusable {
    Set<String> out = new TreeSet<>();
    try {
      Class<?> jni = Class.forName("dev.ludovic.netlib.blas.JNIBLAS", false,
          BLAS.class.getClassLoader());
      for (Method m : jni.getDeclaredMethods()) {
        String n = m.getName();
        if (Modifier.isNative(m.getModifiers()) && n.endsWith("K")) {
          out.add(n.substring(0, n.length() - 1) + "_");
        }
      }
    } catch (ClassNotFoundException | LinkageError e) {
      throw new Unusable("netlib's JNIBLAS class is not on the class path: " + e);
    }
    if (out.isEmpty()) {
      throw new Unusable("netlib's JNIBLAS class declares no native BLAS routines");
    }
    return out;
  }
}
