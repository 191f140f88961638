package io.sparkmlp.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A checksummed safetensors file for training checkpoints: {@code __metadata__} carries
 * {@code format=spark-mlp-checkpoint}, {@code format_version} ({@value #FORMAT_VERSION}) and
 * {@code sha256}, the hex SHA-256 of a canonical encoding of everything else:
 *
 * <pre>
 *   for each metadata key k ≠ sha256, sorted:  UTF-8(k) 0x00 UTF-8(v) 0x00
 *   for each tensor, in file order:            UTF-8(name) 0x00 dtype 0x00 shape (int64 LE each)
 *                                              the values' IEEE-754 bits (float64 LE)
 * </pre>
 *
 * <p>Hashing the decoded content rather than raw bytes covers the header as well as the data,
 * and keeps the check independent of header padding. {@link Safetensors#parse} has already
 * rejected every structural lie (lengths, offsets, dtypes, shapes) before the hash is computed,
 * so a truncated, bit-flipped or hand-edited file surfaces as an {@link IOException} naming the
 * file, never as a wrong resume.
 */
public final class CheckpointFile {
  public static final String FORMAT = "spark-mlp-checkpoint";
  /**
   * The version written; every version from 1 up to it is read (what each holds: the train
   * package's {@code Checkpoint}). The checksum is the same in all.
   */
  public static final int FORMAT_VERSION = 2;
  private static final String SHA256 = "sha256";

  private CheckpointFile() {}

  /** Writes {@code metadata} and {@code tensors} with format keys and checksum, atomically. */
  public static void write(Path path, Configuration conf, Map<String, String> metadata,
      List<Safetensors.Tensor> tensors) throws IOException {
    toSafetensors(metadata, tensors).write(path, conf);
  }

  /** The checksummed content (for tests and for writing elsewhere). */
  public static Safetensors toSafetensors(Map<String, String> metadata,
      List<Safetensors.Tensor> tensors) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", Integer.toString(FORMAT_VERSION));
    metadata.forEach((k, v) -> {
      if (meta.containsKey(k) || SHA256.equals(k)) {
        throw new IllegalArgumentException("checkpoint metadata key '" + k + "' is reserved");
      }
      meta.put(k, v);
    });
    meta.put(SHA256, digest(meta, tensors));
    return new Safetensors(meta, tensors);
  }

  /** Reads a checkpoint, checking structure, format, version and checksum. */
  public static Safetensors read(Path path, Configuration conf) throws IOException {
    return parse(AtomicFiles.readAll(path, conf, Safetensors.MAX_FILE_BYTES), path.toString());
  }

  /** Validates the bytes of a checkpoint file; {@code source} names it in errors. */
  public static Safetensors parse(byte[] bytes, String source) throws IOException {
    Safetensors file = Safetensors.parse(bytes, source);
    Map<String, String> meta = file.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw bad(source, "metadata format is " + meta.get("format") + ", expected " + FORMAT);
    }
    String version = meta.get("format_version");
    if (version == null || !version.matches("[1-9][0-9]{0,8}")) {
      throw bad(source, "format_version " + version + " is not a version number");
    }
    if (Integer.parseInt(version) > FORMAT_VERSION) {
      throw bad(source, "format_version " + version + " is newer than this build reads ("
          + FORMAT_VERSION + ")");
    }
    String stored = meta.get(SHA256);
    String actual = digest(meta, List.copyOf(file.tensors().values()));
    if (!actual.equals(stored)) {
      throw bad(source, "checksum mismatch: metadata sha256 is " + stored
          + " but the content hashes to " + actual + " (corrupted or edited file)");
    }
    return file;
  }

  /** The format version of a file that {@link #parse} or {@link #read} accepted. */
  public static int formatVersion(Safetensors checked) {
    return Integer.parseInt(checked.metadata().get("format_version"));
  }

  private static String digest(Map<String, String> meta, List<Safetensors.Tensor> tensors) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    new TreeMap<>(meta).forEach((k, v) -> {
      if (!SHA256.equals(k)) {
        md.update(k.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(v.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
    });
    for (Safetensors.Tensor t : tensors) {
      md.update(t.name().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(t.dtype().safetensorsName().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      long[] shape = t.shape();
      double[] values = t.values();
      ByteBuffer buf = ByteBuffer.allocate(8 * (shape.length + values.length))
          .order(ByteOrder.LITTLE_ENDIAN);
      for (long d : shape) {
        buf.putLong(d);
      }
      for (double v : values) {
        buf.putLong(Double.doubleToRawLongBits(v));
      }
      md.update(buf.array());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static IOException bad(String source, String what) {
    return new IOException("invalid checkpoint file " + source + ": " + what);
  }
}
