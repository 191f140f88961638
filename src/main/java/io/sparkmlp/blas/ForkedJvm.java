package io.sparkmlp.blas;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of a JVM like this one (same {@code java}, class path, Vector API module)
 * running another main class. netlib binds one BLAS per JVM, so anything that compares BLAS
 * implementations or tests the choice itself runs each in a JVM of its own.
 */
public final class ForkedJvm {
  private ForkedJvm() {}

  /**
   * {@code java [Vector API] jvmOptions -cp CP main args}; CP is this JVM's class path plus the
   * jars of {@code main} and netlib (which spark-submit loads through its own class loader).
   */
  public static List<String> command(Class<?> main, List<String> jvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      cmd.add("--add-modules=jdk.incubator.vector");
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath(main, dev.ludovic.netlib.blas.BLAS.class));
    cmd.add(main.getName());
    cmd.addAll(args);
    return cmd;
  }

  private static String classPath(Class<?>... classes) {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    for (Class<?> c : classes) {
      CodeSource src = c.getProtectionDomain().getCodeSource();
      if (src != null && src.getLocation() != null) {
        try {
          entries.add(Path.of(src.getLocation().toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
          // not a local file (a nested jar); the class path above must then have it
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
