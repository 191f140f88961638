package io.sparkmlp.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Whole-file reads and atomic writes through Hadoop's {@link FileSystem}, so local paths,
 * {@code hdfs://} and {@code s3a://} behave alike.
 *
 * <p>A write goes to a hidden temporary name beside the target and is renamed over it only once
 * complete, so a crash mid-write never replaces a good file with a half-written one.
 */
public final class AtomicFiles {
  /** Content that streams itself into an output. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code content} to {@code target} atomically, replacing any existing file. */
  public static void write(Path target, Configuration conf, Content content) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    fs.setWriteChecksum(false);
    Path parent = target.getParent();
    if (parent != null) {
      fs.mkdirs(parent);
    }
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        content.writeTo(out);
      }
      FileContext.getFileContext(target.toUri(), conf)
          .rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (IOException | RuntimeException e) {
      fs.delete(tmp, false);
      throw e;
    }
  }

  /**
   * Puts the complete directory {@code staged} in the place of {@code target}: an existing
   * target is first renamed to a hidden name beside it, then {@code staged} is renamed to
   * {@code target} and the old one deleted. Each rename is atomic, so {@code target} is never a
   * half-written directory; if the second rename fails, the old target is put back.
   */
  public static void replaceDirectory(Path staged, Path target, Configuration conf)
      throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    Path old = null;
    if (fs.exists(target)) {
      old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      rename(fs, target, old);
    }
    try {
      rename(fs, staged, target);
    } catch (IOException e) {
      if (old != null) {
        fs.rename(old, target);
      }
      throw e;
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, Configuration conf, byte[] bytes) throws IOException {
    write(target, conf, out -> out.write(bytes));
  }

  /**
   * Reads a whole file, refusing files over {@code maxBytes} (so a wrong path cannot exhaust
   * memory).
   */
  public static byte[] readAll(Path path, Configuration conf, long maxBytes) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    FileStatus status = fs.getFileStatus(path);
    if (status.isDirectory()) {
      throw new IOException(path + " is a directory, expected a file");
    }
    long length = status.getLen();
    if (length > maxBytes) {
      throw new IOException(path + " is " + length + " bytes, more than the limit of " + maxBytes);
    }
    byte[] bytes = new byte[(int) length];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(0, bytes);
    }
    return bytes;
  }

  /** Reads an already open stream to its end (for small files such as JSON). */
  static byte[] readStream(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
