package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkmlp.io.CheckpointFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.optim.OptimizerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile checkpoint files: every truncation, thousands of seeded random mutations, random
 * bytes, and hand-made header and metadata lies. Each must end in an IOException naming the
 * file, or (for a mutation that only touches header whitespace) decode to exactly the original;
 * never another exception, an out-of-memory error, a hang or a silently different checkpoint.
 */
class CheckpointFuzzTest {
  private static final int PARAMS = 20;
  private static final int BUFFERS = 2;
  private static final String SOURCE = "fuzz.safetensors";
  @TempDir static java.nio.file.Path tmp;
  private static Checkpoint original;
  private static byte[] bytes;

  @BeforeAll
  static void writeOne() throws IOException {
    double[] params = new double[PARAMS];
    double[][] buffers = new double[BUFFERS][PARAMS];
    for (int i = 0; i < PARAMS; i++) {
      params[i] = Math.sin(i) / 3;
      buffers[0][i] = i * 1e-3;
      buffers[1][i] = i * i * 1e-7;
    }
    List<EpochMetrics> history = List.of(
        new EpochMetrics(1, 0.9, 0.8, 0.7, Double.NaN, 1e-3, 1.5, 1000, 12),
        new EpochMetrics(2, 0.6, 0.65, 0.8, Double.NaN, 1e-3, 1.4, 1100, 12));
    original = new Checkpoint(2, 5, 29, params, new OptimizerState(29, buffers), 3.25, 320,
        0.65, 2, params, history, Map.of("lr", "0.001", "data-fingerprint", "abc"));
    java.nio.file.Path file = tmp.resolve("ckpt-000000029.safetensors");
    original.write(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration());
    bytes = Files.readAllBytes(file);
  }

  private static Checkpoint parse(byte[] b) throws IOException {
    return Checkpoint.parse(b, SOURCE, PARAMS, BUFFERS);
  }

  /** Parses {@code b}: an IOException naming the source, or exactly the original content. */
  private static void assertRejectedOrIntact(byte[] b, String what) {
    Checkpoint c;
    try {
      c = parse(b);
    } catch (IOException e) {
      assertTrue(e.getMessage().contains(SOURCE), what + ": " + e.getMessage());
      return;
    } catch (Throwable t) {
      throw new AssertionError(what + ": expected an IOException, got " + t, t);
    }
    assertArrayEquals(original.params, c.params, what);
    assertArrayEquals(original.bestParams, c.bestParams, what);
    assertEquals(original.optimizerState, c.optimizerState, what);
    assertEquals(original.globalStep, c.globalStep, what);
    assertEquals(original.step, c.step, what);
    assertEquals(original.epochLossSum, c.epochLossSum, 0.0, what);
    assertEquals(original.run, c.run, what);
    assertEquals(original.history.size(), c.history.size(), what);
  }

  @Test
  void theOriginalRoundTripsExactly() throws IOException {
    Checkpoint c = parse(bytes);
    assertArrayEquals(original.params, c.params);
    assertEquals(original.optimizerState, c.optimizerState);
    assertEquals(0.8, c.history.get(0).valLoss);
    assertTrue(Double.isNaN(c.history.get(1).valR2), "NaN survives the file");
    assertEquals(320, c.epochRows);
    assertEquals(0.65, c.bestLoss);
  }

  @Test
  void everyTruncationIsRejected() {
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, len);
      IOException e = assertThrows(IOException.class, () -> parse(cut), "length " + len);
      assertTrue(e.getMessage().startsWith("invalid "), e.getMessage());
    }
  }

  @Test
  void seededRandomMutationsAreRejectedOrHarmless() {
    SplittableRandom rnd = new SplittableRandom(20240605);
    for (int n = 0; n < 6000; n++) {
      byte[] b = bytes.clone();
      String what;
      switch (n % 4) {
        case 0: {
          int flips = 1 + rnd.nextInt(4);
          for (int i = 0; i < flips; i++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
          what = "case " + n + ": " + flips + " bit flips";
          break;
        }
        case 1: {
          int at = rnd.nextInt(b.length);
          int len = 1 + rnd.nextInt(Math.min(64, b.length - at));
          for (int i = at; i < at + len; i++) {
            b[i] = (byte) rnd.nextInt(256);
          }
          what = "case " + n + ": " + len + " random bytes at " + at;
          break;
        }
        case 2: {
          ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rnd.nextLong());
          what = "case " + n + ": random header length";
          break;
        }
        default: {
          int at = rnd.nextInt(b.length);
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = (byte) rnd.nextInt(256);
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
          what = "case " + n + ": one byte inserted at " + at;
        }
      }
      assertRejectedOrIntact(b, what);
    }
  }

  @Test
  void randomBytesAreRejected() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int n = 0; n < 2000; n++) {
      byte[] b = new byte[rnd.nextInt(4096)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) rnd.nextInt(256);
      }
      if (n % 2 == 0 && b.length >= 8) {
        // a plausible header length, so the JSON parser sees the garbage
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, b.length - 8);
      }
      final byte[] garbage = b;
      assertThrows(IOException.class, () -> parse(garbage), "random case " + n);
    }
  }

  /** A file with this exact JSON header and {@code dataBytes} zero bytes of data. */
  private static byte[] withHeader(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  @Test
  void structuralLiesAreRejectedWithoutAllocating() {
    String[] headers = {
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[1000000000000],\"data_offsets\":[0,8000000000000]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[-8,0]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,9223372036854775807]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}",
        "{\"a\":{\"dtype\":\"I8\",\"shape\":[16],\"data_offsets\":[0,16]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[-2],\"data_offsets\":[0,16]}}",
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[1.5],\"data_offsets\":[0,16]}}",
        "{\"__metadata__\":{\"format\":7},\"a\":{\"dtype\":\"F64\",\"shape\":[2],"
            + "\"data_offsets\":[0,16]}}",
        "[1,2,3]",
        "[".repeat(200_000),
        "{\"a\":" + "{\"b\":".repeat(5000) + "1" + "}".repeat(5001),
    };
    for (String h : headers) {
      byte[] b = withHeader(h, 16);
      IOException e = assertThrows(IOException.class, () -> parse(b),
          h.substring(0, Math.min(80, h.length())));
      assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
    }
    byte[] hugeLength = bytes.clone();
    ByteBuffer.wrap(hugeLength).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    assertThrows(IOException.class, () -> parse(hugeLength));
    ByteBuffer.wrap(hugeLength).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
    assertThrows(IOException.class, () -> parse(hugeLength));
  }

  /** A correctly checksummed file whose metadata or tensors lie about the checkpoint. */
  private static byte[] signed(Map<String, String> metaChanges, List<Safetensors.Tensor> tensors)
      throws IOException {
    Safetensors f = CheckpointFile.parse(bytes, SOURCE);
    Map<String, String> meta = new LinkedHashMap<>(f.metadata());
    meta.remove("format");
    meta.remove("format_version");
    meta.remove("sha256");
    metaChanges.forEach((k, v) -> {
      if (v == null) {
        meta.remove(k);
      } else {
        meta.put(k, v);
      }
    });
    return CheckpointFile.toSafetensors(meta,
        tensors != null ? tensors : new ArrayList<>(f.tensors().values())).toBytes();
  }

  @Test
  void signedMetadataLiesAreRejectedByName() throws IOException {
    Object[][] cases = {
        {"epoch", "-1", "metadata epoch='-1'"},
        {"epoch", "3", "epoch is 3 but the history holds 2 epochs"},
        {"step", "x", "metadata step='x' is not an integer"},
        {"global_step", null, "metadata key 'global_step' is missing"},
        {"best_loss", "lots", "metadata best_loss='lots' is not a number"},
        {"best_epoch", "9", "metadata best_epoch='9' is not an integer in [0, 2]"},
        {"run", "[1]", "metadata run is not a JSON object of strings"},
        {"run", "{\"a\":null}", "is not a JSON object of non-null strings"},
    };
    for (Object[] c : cases) {
      Map<String, String> change = new LinkedHashMap<>();
      change.put((String) c[0], (String) c[1]);
      byte[] lie = signed(change, null);
      IOException e = assertThrows(IOException.class, () -> parse(lie), c[0] + "=" + c[1]);
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
    }
    Safetensors f = CheckpointFile.parse(bytes, SOURCE);
    List<Safetensors.Tensor> shortParams = new ArrayList<>(f.tensors().values());
    shortParams.set(0, new Safetensors.Tensor("params", Dtype.FLOAT64, new long[] {3},
        new double[3]));
    IOException e = assertThrows(IOException.class, () -> parse(signed(Map.of(), shortParams)));
    assertTrue(e.getMessage().contains("tensor 'params' has shape [3], this run needs [20]"),
        e.getMessage());
    List<Safetensors.Tensor> extra = new ArrayList<>(f.tensors().values());
    extra.add(new Safetensors.Tensor("surprise", Dtype.FLOAT32, new long[] {1}, new double[1]));
    e = assertThrows(IOException.class, () -> parse(signed(Map.of(), extra)));
    assertTrue(e.getMessage().contains("surprise"), e.getMessage());
    e = assertThrows(IOException.class,
        () -> Checkpoint.parse(bytes, SOURCE, PARAMS, 1));
    assertTrue(e.getMessage().contains("expected params, 1 optimizer buffer(s)"), e.getMessage());
    try {
      parse(signed(Map.of(), null));
    } catch (IOException unexpected) {
      fail("re-signing the unchanged content must stay valid: " + unexpected.getMessage());
    }
  }
}
