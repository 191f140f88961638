package io.sparkmlp.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.nn.Dtype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The safetensors format (as written by Hugging Face's {@code safetensors} library), restricted
 * to F32 and F64 tensors: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"__metadata__": {..strings..}, "name": {"dtype", "shape", "data_offsets"}}}), then
 * the little-endian tensor data, back to back.
 *
 * <p>Reading trusts nothing: header length, JSON, dtypes, shapes against byte ranges, offsets
 * inside the data, no overlap or gap, and the total size are all checked before any tensor is
 * decoded, and each failure says what is wrong. It never allocates more than the file's size.
 * Tensor values are handed out as {@code double[]} (F32 widens exactly).
 */
public final class Safetensors {
  /** Largest JSON header accepted (the reference implementation's limit). */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
  /** Largest file read (arrays are int-indexed). */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;
  private static final String METADATA = "__metadata__";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One tensor: name, dtype, shape and its values in row-major order. */
  public static final class Tensor {
    private final String name;
    private final Dtype dtype;
    private final long[] shape;
    private final double[] values;

    public Tensor(String name, Dtype dtype, long[] shape, double[] values) {
      long count = 1;
      for (long d : shape) {
        count *= d;
      }
      if (count != values.length) {
        throw new IllegalArgumentException("tensor " + name + ": shape "
            + java.util.Arrays.toString(shape) + " holds " + count + " values, got " + values.length);
      }
      this.name = name;
      this.dtype = dtype;
      this.shape = shape.clone();
      this.values = values;
    }

    public String name() {
      return name;
    }

    public Dtype dtype() {
      return dtype;
    }

    public long[] shape() {
      return shape.clone();
    }

    public double[] values() {
      return values;
    }
  }

  private final Map<String, String> metadata;
  private final Map<String, Tensor> tensors;

  public Safetensors(Map<String, String> metadata, List<Tensor> tensors) {
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException("duplicate tensor name " + t.name());
      }
    }
    this.tensors = Collections.unmodifiableMap(byName);
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Tensors by name, in file order. */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /** Reads and validates a file through Hadoop's FileSystem. */
  public static Safetensors read(Path path, Configuration conf) throws IOException {
    return parse(AtomicFiles.readAll(path, conf, MAX_FILE_BYTES), path.toString());
  }

  /** Writes this file atomically (temporary name, then rename). */
  public void write(Path path, Configuration conf) throws IOException {
    AtomicFiles.write(path, conf, toBytes());
  }

  /** Validates and decodes the bytes of a safetensors file; {@code source} names it in errors. */
  public static Safetensors parse(byte[] bytes, String source) throws IOException {
    if (bytes.length < 8) {
      throw bad(source, "file is " + bytes.length
          + " bytes, shorter than the 8-byte header length that starts a safetensors file");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong(0);
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - 8) {
      throw bad(source, "header length " + Long.toUnsignedString(headerLength)
          + " is impossible for a file of " + bytes.length + " bytes (truncated or not safetensors)");
    }
    int dataStart = 8 + (int) headerLength;
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw bad(source, "header is not valid JSON: " + e.getOriginalMessage());
    }
    if (header == null || !header.isObject()) {
      throw bad(source, "header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (METADATA.equals(field.getKey())) {
        readMetadata(field.getValue(), metadata, source);
      } else {
        entries.add(Entry.of(field.getKey(), field.getValue(), source));
      }
    }
    long dataLength = bytes.length - (long) dataStart;
    checkLayout(entries, dataLength, source);
    List<Tensor> tensors = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      tensors.add(new Tensor(e.name, e.dtype, e.shape,
          decode(buf, dataStart + (int) e.begin, e.dtype, (int) e.count)));
    }
    return new Safetensors(metadata, tensors);
  }

  /** The file's bytes: header padded with spaces to 8-byte alignment, then the data. */
  public byte[] toBytes() {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Tensor t : tensors.values()) {
      ObjectNode node = header.putObject(t.name());
      node.put("dtype", t.dtype().safetensorsName());
      ArrayNode shape = node.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long end = offset + (long) t.values().length * t.dtype().bytes();
      node.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode safetensors header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    if (8 + padded + offset > MAX_FILE_BYTES) {
      throw new IllegalArgumentException("tensors too large for one file: " + offset + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      double[] v = t.values();
      if (t.dtype() == Dtype.FLOAT32) {
        for (double x : v) {
          out.putFloat((float) x);
        }
      } else {
        for (double x : v) {
          out.putDouble(x);
        }
      }
    }
    return out.array();
  }

  private static void readMetadata(JsonNode node, Map<String, String> metadata, String source)
      throws IOException {
    if (!node.isObject()) {
      throw bad(source, "__metadata__ is not a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      if (!m.getValue().isTextual()) {
        throw bad(source, "__metadata__ value of '" + m.getKey() + "' is not a string");
      }
      metadata.put(m.getKey(), m.getValue().asText());
    }
  }

  /** Offsets must tile the data section exactly: sorted, no overlap, no gap, nothing after. */
  private static void checkLayout(List<Entry> entries, long dataLength, String source)
      throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
    long expected = 0;
    for (Entry e : sorted) {
      if (e.end > dataLength) {
        throw bad(source, "tensor '" + e.name + "' ends at byte " + e.end
            + " but the data section holds only " + dataLength + " bytes (truncated file?)");
      }
      if (e.begin < expected) {
        throw bad(source, "tensor '" + e.name + "' at bytes [" + e.begin + ", " + e.end
            + ") overlaps the tensor before it (which ends at " + expected + ")");
      }
      if (e.begin > expected) {
        throw bad(source, "gap in the data section: bytes [" + expected + ", " + e.begin
            + ") belong to no tensor (before '" + e.name + "')");
      }
      expected = e.end;
    }
    if (expected != dataLength) {
      throw bad(source, "data section is " + dataLength + " bytes but the tensors cover "
          + expected + " bytes");
    }
  }

  private static double[] decode(ByteBuffer buf, int start, Dtype dtype, int count) {
    double[] values = new double[count];
    if (dtype == Dtype.FLOAT32) {
      for (int i = 0; i < count; i++) {
        values[i] = buf.getFloat(start + 4 * i);
      }
    } else {
      for (int i = 0; i < count; i++) {
        values[i] = buf.getDouble(start + 8 * i);
      }
    }
    return values;
  }

  private static IOException bad(String source, String what) {
    return new IOException("invalid safetensors file " + source + ": " + what);
  }

  /** One header entry, validated on its own (dtype, shape, offsets, size). */
  private static final class Entry {
    final String name;
    final Dtype dtype;
    final long[] shape;
    final long count;
    final long begin;
    final long end;

    private Entry(String name, Dtype dtype, long[] shape, long count, long begin, long end) {
      this.name = name;
      this.dtype = dtype;
      this.shape = shape;
      this.count = count;
      this.begin = begin;
      this.end = end;
    }

    static Entry of(String name, JsonNode node, String source) throws IOException {
      String what = "tensor '" + name + "'";
      if (!node.isObject()) {
        throw bad(source, what + " is not a JSON object");
      }
      JsonNode dtypeNode = node.get("dtype");
      if (dtypeNode == null || !dtypeNode.isTextual()) {
        throw bad(source, what + " has no dtype");
      }
      Dtype dtype;
      try {
        dtype = Dtype.fromSafetensors(dtypeNode.asText());
      } catch (IllegalArgumentException e) {
        throw bad(source, what + ": " + e.getMessage());
      }
      JsonNode shapeNode = node.get("shape");
      if (shapeNode == null || !shapeNode.isArray()) {
        throw bad(source, what + " has no shape array");
      }
      long[] shape = new long[shapeNode.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        JsonNode d = shapeNode.get(i);
        if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
          throw bad(source, what + " has an invalid dimension " + d + " in its shape");
        }
        shape[i] = d.asLong();
        if (shape[i] != 0 && count > MAX_FILE_BYTES / shape[i]) {
          throw bad(source, what + " declares shape " + shapeNode + ", larger than any file");
        }
        count *= shape[i];
      }
      JsonNode offsets = node.get("data_offsets");
      if (offsets == null || !offsets.isArray() || offsets.size() != 2
          || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
          || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
        throw bad(source, what + " needs data_offsets [begin, end] as two integers, got " + offsets);
      }
      long begin = offsets.get(0).asLong();
      long end = offsets.get(1).asLong();
      if (begin < 0 || end < begin) {
        throw bad(source, what + " has invalid data_offsets [" + begin + ", " + end + "]");
      }
      if (end - begin != count * dtype.bytes()) {
        throw bad(source, what + " has shape " + shapeNode + " of " + dtype.safetensorsName()
            + " (" + count * dtype.bytes() + " bytes) but data_offsets span " + (end - begin)
            + " bytes");
      }
      return new Entry(name, dtype, shape, count, begin, end);
    }
  }
}
