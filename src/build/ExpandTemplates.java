import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Expands the dtype templates into Java sources, once per dtype, as the JDK does for its
 * {@code X-Buffer.java.template}: every {@code X<Name>.java.template} under the template folder
 * becomes {@code Float32<Name>.java} and {@code Float64<Name>.java} in the same package folder
 * of the output folder, with each {@code $key$} replaced by the dtype's value in {@link #DTYPES}.
 * A {@code $word$} that is not a key stops the build with the file and line, so a misspelt
 * placeholder never reaches the compiler as a strange identifier.
 *
 * <p>Run by Maven in {@code generate-sources} (pom.xml; the output folder is then a source
 * root), as a single-file program: {@code java src/build/ExpandTemplates.java TEMPLATES OUT}.
 * Files whose text is unchanged are not rewritten, so incremental builds stay incremental;
 * outputs of removed templates are deleted.
 */
public final class ExpandTemplates {
  /**
   * Placeholder values per dtype: the element type and the other dtype's, its boxed class, the
   * class-name prefix (which also replaces the file names' X), the {@code Dtype} constant, the
   * bit counts in accessor names such as {@code x32()}, and the BLAS and cuBLAS prefixes.
   */
  static final Map<String, Map<String, String>> DTYPES = Map.of(
      "float32", Map.of("type", "float", "othertype", "double", "Boxed", "Float",
          "Type", "Float32", "DTYPE", "FLOAT32", "bits", "32", "otherbits", "64",
          "b", "s", "B", "S"),
      "float64", Map.of("type", "double", "othertype", "float", "Boxed", "Double",
          "Type", "Float64", "DTYPE", "FLOAT64", "bits", "64", "otherbits", "32",
          "b", "d", "B", "D"));
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Za-z]+)\\$");
  private static final String SUFFIX = ".java.template";

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ExpandTemplates TEMPLATE_DIR OUT_DIR");
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<Path> templates;
    try (Stream<Path> files = Files.walk(in)) {
      templates = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    Set<Path> written = new HashSet<>();
    for (Path t : templates) {
      String name = t.getFileName().toString();
      if (!name.startsWith("X")) {
        throw new IllegalArgumentException(
            t + ": a template's name starts with X (X<Name>" + SUFFIX + ")");
      }
      String text = Files.readString(t, StandardCharsets.UTF_8);
      for (Map.Entry<String, Map<String, String>> d : DTYPES.entrySet()) {
        Map<String, String> values = d.getValue();
        String base = values.get("Type") + name.substring(1, name.length() - SUFFIX.length());
        Path target = out.resolve(in.relativize(t.getParent())).resolve(base + ".java");
        String header = "// Generated from " + in.relativize(t) + " for " + d.getKey()
            + " by src/build/ExpandTemplates.java: edit the template, not this file.\n";
        write(target, header + expand(t, text, values));
        written.add(target.toAbsolutePath().normalize());
      }
    }
    deleteStale(out, written);
  }

  static String expand(Path file, String text, Map<String, String> values) {
    String[] lines = text.split("\n", -1);
    List<String> result = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = PLACEHOLDER.matcher(lines[i]);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1));
        if (value == null) {
          throw new IllegalArgumentException(file + ":" + (i + 1) + ": unknown placeholder "
              + m.group() + "; the keys are " + values.keySet());
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      result.add(sb.toString());
    }
    return String.join("\n", result);
  }

  private static void write(Path target, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
      return;
    }
    Files.createDirectories(target.getParent());
    Files.write(target, bytes);
  }

  private static void deleteStale(Path out, Set<Path> written) throws IOException {
    if (!Files.isDirectory(out)) {
      return;
    }
    try (Stream<Path> files = Files.walk(out)) {
      files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !written.contains(p.toAbsolutePath().normalize()))
          .forEach(p -> {
            try {
              Files.delete(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
