package io.sparkmlp.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's template expander ({@code src/build/ExpandTemplates.java}, compiled here from the
 * same source Maven runs): one output per dtype with every placeholder replaced, outputs of
 * removed templates deleted, and a misspelt placeholder stopping the build with its file and
 * line.
 */
class ExpandTemplatesTest {
  private static Method main;

  @TempDir
  Path dir;

  @BeforeAll
  static void compile(@TempDir Path classes) throws Exception {
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        classes.toString(), "src/build/ExpandTemplates.java");
    assertEquals(0, status, "ExpandTemplates.java compiles");
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()});
    main = loader.loadClass("ExpandTemplates").getMethod("main", String[].class);
  }

  @Test
  void expandsEachTemplateOncePerDtype() throws Exception {
    Path in = dir.resolve("in/io/example");
    Files.createDirectories(in);
    Files.writeString(in.resolve("XThing.java.template"), "package io.example;\n"
        + "final class $Type$Thing { $type$[] v; String s = \"$bits$/$DTYPE$\"; }\n");
    Path out = dir.resolve("out");
    Path stale = out.resolve("io/example/Float32Gone.java");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "class Float32Gone {}");

    expand(dir.resolve("in"), out);

    String f32 = Files.readString(out.resolve("io/example/Float32Thing.java"));
    String f64 = Files.readString(out.resolve("io/example/Float64Thing.java"));
    assertTrue(f32.contains("final class Float32Thing { float[] v; String s = \"32/FLOAT32\"; }"),
        f32);
    assertTrue(f64.contains("final class Float64Thing { double[] v; String s = \"64/FLOAT64\"; }"),
        f64);
    assertTrue(f32.startsWith("// Generated from io/example/XThing.java.template for float32"),
        f32);
    assertFalse(Files.exists(stale), "the output of a removed template is deleted");
  }

  @Test
  void aMisspeltPlaceholderNamesItsFileAndLine() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("XBad.java.template"), "class $Type$Bad {\n  $tpye$ x;\n}\n");

    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> expand(in, dir.resolve("out")));

    String message = e.getCause().getMessage();
    assertTrue(message.contains("XBad.java.template:2: unknown placeholder $tpye$"), message);
  }

  private static void expand(Path in, Path out) throws Exception {
    main.invoke(null, (Object) new String[] {in.toString(), out.toString()});
  }
}
