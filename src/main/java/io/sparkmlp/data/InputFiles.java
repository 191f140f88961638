package io.sparkmlp.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Driver-side file work through Hadoop's {@link FileSystem} (so {@code hdfs://} and {@code s3a://}
 * behave like local paths): expanding a path into the sorted list of input files, the data
 * fingerprint, CSV headers, and turning a byte offset into a line number when a row fails.
 */
final class InputFiles {
  /** The characters Hadoop's globbing gives a meaning to. */
  private static final Pattern GLOB = Pattern.compile("[*?\\[\\]{}\\\\]");

  /** One input file. */
  record Entry(Path path, long length, long modificationTime) {}

  private InputFiles() {}

  /**
   * The files {@code path} names: itself if a file, the files under it (recursively) if a
   * directory, the matches if a glob; sorted by their full path. Files whose names start with
   * {@code _} or {@code .} ({@code _SUCCESS}, checksums) are left out unless named exactly.
   *
   * @throws DataFormatException when nothing matches
   */
  static List<Entry> list(String path, Configuration conf) {
    List<Entry> files;
    try {
      files = listOrEmpty(path, conf);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list input " + path + ": " + e, e);
    }
    if (files.isEmpty()) {
      throw DataFormatException.ofFile("no data file matches the path", path);
    }
    return files;
  }

  /** {@link #list} without the emptiness check. */
  static List<Entry> listOrEmpty(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    boolean glob = isGlob(path, fs);
    FileStatus[] matches = glob ? fs.globStatus(p) : statusOrNone(fs, p);
    Map<String, Entry> out = new LinkedHashMap<>();
    if (matches != null) {
      for (FileStatus st : matches) {
        if (glob && hidden(st.getPath())) {
          continue;
        }
        collect(fs, st, out);
      }
    }
    List<Entry> sorted = new ArrayList<>(out.values());
    sorted.sort(Comparator.comparing(e -> e.path().toString()));
    return sorted;
  }

  /**
   * Whether {@code path} is read as a glob: it holds a character Hadoop's globbing gives a
   * meaning to and does not name an existing file or directory as it is written (so a file
   * named {@code a[1].csv} is read as itself, not as {@code a1.csv}).
   */
  private static boolean isGlob(String path, FileSystem fs) throws IOException {
    return GLOB.matcher(path).find() && !fs.exists(new Path(path));
  }

  private static FileStatus[] statusOrNone(FileSystem fs, Path p) throws IOException {
    try {
      return new FileStatus[] {fs.getFileStatus(p)};
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /**
   * {@code path} as a Hadoop glob pattern that matches exactly what {@link #list} reads for it
   * now: an existing path whose name holds glob characters comes back with each of them
   * escaped by a backslash, anything else unchanged. Spark and Hadoop's input formats glob
   * every path they are given; this keeps them to the literal one.
   */
  static String literalPattern(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    if (isGlob(path, p.getFileSystem(conf)) || !GLOB.matcher(path).find()) {
      return path;
    }
    return GLOB.matcher(path).replaceAll("\\\\$0");
  }

  private static void collect(FileSystem fs, FileStatus st, Map<String, Entry> out)
      throws IOException {
    if (st.isDirectory()) {
      for (FileStatus child : fs.listStatus(st.getPath())) {
        if (!hidden(child.getPath())) {
          collect(fs, child, out);
        }
      }
    } else {
      out.put(st.getPath().toString(),
          new Entry(st.getPath(), st.getLen(), st.getModificationTime()));
    }
  }

  private static boolean hidden(Path p) {
    String n = p.getName();
    return n.startsWith("_") || n.startsWith(".");
  }

  /**
   * Hex SHA-256 over each file's path, length and modification time (in sorted order), the label
   * columns, the format and the feature count: changes whenever the data a run was trained on
   * may have changed.
   */
  static String fingerprint(List<Entry> files, List<String> labelCols, DataFormat format,
      int numFeatures) {
    StringBuilder sb = new StringBuilder("spark-mlp data v1\n");
    for (Entry e : files) {
      sb.append("file\t").append(e.path()).append('\t').append(e.length()).append('\t')
          .append(e.modificationTime()).append('\n');
    }
    sb.append("labels\t").append(String.join("\t", labelCols)).append('\n');
    sb.append("format\t").append(format.optionName()).append('\n');
    sb.append("features\t").append(numFeatures).append('\n');
    return Fingerprint.of(sb);
  }

  /** Opens a file for reading, decompressing it if its name says it is compressed. */
  static InputStream open(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    InputStream in = fs.open(file);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    if (codec != null) {
      try {
        in = codec.createInputStream(in);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }
    return new BufferedInputStream(in, 1 << 16);
  }

  /**
   * The first line of a file (UTF-8, byte-order mark removed), or null for an empty file. Used
   * for CSV headers.
   */
  static String firstLine(Path file, Configuration conf) throws IOException {
    try (InputStream in = open(file, conf)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int c;
      boolean any = false;
      while ((c = in.read()) >= 0) {
        any = true;
        if (c == '\n' || c == '\r') {
          break;
        }
        buf.write(c);
        if (buf.size() > (64 << 20)) {
          throw DataFormatException.atLine("header line longer than 64 MiB", file.toString(), 1,
              null, null);
        }
      }
      if (!any) {
        return null;
      }
      String s = buf.toString(StandardCharsets.UTF_8);
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
  }

  /**
   * The 1-based number of the line that starts at byte {@code offset} (of the decompressed
   * content): one plus the line ends before it, counting {@code \n}, {@code \r\n} and a lone
   * {@code \r} as Hadoop's LineReader does.
   */
  static long lineAt(Path file, Configuration conf, long offset) throws IOException {
    long lines = 1;
    boolean prevCr = false;
    long pos = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = open(file, conf)) {
      while (pos < offset) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, offset - pos));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            if (!prevCr) {
              lines++;
            }
            prevCr = false;
          } else if (b == '\r') {
            lines++;
            prevCr = true;
          } else {
            prevCr = false;
          }
        }
        pos += n;
      }
    }
    return lines;
  }

  /** Resolves an offset-only error to its line number (no-op if the line is known). */
  static DataFormatException withLine(DataFormatException e, Configuration conf) {
    if (e.line() > 0 || e.offset() < 0) {
      return e;
    }
    try {
      return e.withLine(lineAt(new Path(e.file()), conf, e.offset()));
    } catch (IOException | RuntimeException io) {
      return e; // keep the byte offset: still locates the row
    }
  }
}
