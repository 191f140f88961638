package io.sparkmlp.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the bundled OpenBLAS is found: spark-mlp's own class loader, else the thread's context
 * class loader (on an executor, the user class loader holding the jars of {@code --jars}), and
 * every file from the same jar as the library.
 */
class BundledOpenBlasTest {
  private final Platform platform = TestLibraries.platform();
  private final String library = BundledOpenBlas.RESOURCES + platform.classifier() + "/"
      + platform.openBlasFile();

  /** A loader that sees nothing but the JDK (a class path without bytedeco's jar). */
  private static ClassLoader empty() {
    return new URLClassLoader(new URL[0], null);
  }

  /** A loader holding only bytedeco's OpenBLAS jar, as {@code --jars} would add it. */
  private URLClassLoader openBlasJarOnly() throws Exception {
    URL inTestClassPath = getClass().getClassLoader().getResource(library);
    URL jar = ((JarURLConnection) inTestClassPath.openConnection()).getJarFileURL();
    return new URLClassLoader(new URL[] {jar}, null);
  }

  @Test
  void foundInALaterLoaderWhenTheFirstHasNoneAndAllFilesComeFromItsJar() throws Exception {
    try (URLClassLoader jarOnly = openBlasJarOnly()) {
      BundledOpenBlas b = new BundledOpenBlas(Arrays.asList(empty(), null, jarOnly), platform);
      List<NativeFile> files = b.files();
      assertEquals(platform.openBlasFile(), files.get(0).name());
      assertTrue(files.size() >= 2, "the GCC runtime comes with it: " + files);
      String jar = ((JarURLConnection) jarOnly.getResource(library).openConnection())
          .getJarFileURL().toString();
      for (NativeFile f : files) {
        assertTrue(f.url().toString().startsWith("jar:" + jar + "!/"), f.url().toString());
        assertTrue(f.size() > 0 && f.crc() != 0, f.toString());
      }
      assertEquals("0.3.31", b.version());
    }
  }

  /**
   * spark-mlp's classes loaded from a class path without bytedeco's jar (as on an executor whose
   * class path has spark-mlp but not OpenBLAS): the library is found through the thread's
   * context class loader when that one has the jar, and not without it.
   */
  @Test
  void foundThroughTheContextClassLoaderWhenSparkMlpsOwnHasNone() throws Exception {
    URL classes = BundledOpenBlas.class.getProtectionDomain().getCodeSource().getLocation();
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, null);
        URLClassLoader jarOnly = openBlasJarOnly()) {
      Object p = declared(isolated, "Platform", "current").invoke(null);
      Method ofClassPath = declared(isolated, "BundledOpenBlas", "ofClassPath");
      Method files = declared(isolated, "BundledOpenBlas", "files");
      t.setContextClassLoader(empty());
      InvocationTargetException none = assertThrows(InvocationTargetException.class,
          () -> files.invoke(ofClassPath.invoke(null, p)));
      assertTrue(none.getCause().getMessage().startsWith("no " + library + " on the class path"),
          none.getCause().toString());
      t.setContextClassLoader(jarOnly);
      List<?> found = (List<?>) files.invoke(ofClassPath.invoke(null, p));
      assertEquals(jarOnly.getResource(library).toString(),
          ((URL) declared(isolated, "NativeFile", "url").invoke(found.get(0))).toString());
    } finally {
      t.setContextClassLoader(before);
    }
  }

  private static Method declared(ClassLoader loader, String cls, String name) throws Exception {
    for (Method m : loader.loadClass("io.sparkmlp.blas." + cls).getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new NoSuchMethodException(cls + "." + name);
  }

  @Test
  void noLoaderHasItTheReasonNamesTheResourceAndTheArtifact() {
    BundledOpenBlas b = new BundledOpenBlas(List.of(empty(), empty()), platform);
    String m = assertThrows(NativeBlas.Unusable.class, b::files).getMessage();
    assertEquals("no " + library + " on the class path (org.bytedeco:openblas, classifier "
        + platform.classifier() + ")", m);
    assertNull(b.version());
  }
}
