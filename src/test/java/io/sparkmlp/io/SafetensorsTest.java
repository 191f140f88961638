package io.sparkmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Dtype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetensorsTest {
  private static Safetensors sample() {
    return new Safetensors(Map.of("k", "v"), List.of(
        new Safetensors.Tensor("a", Dtype.FLOAT32, new long[] {2, 3},
            new double[] {1, -2, 3.5, 0.25f, 1e-3f, 7}),
        new Safetensors.Tensor("b", Dtype.FLOAT64, new long[] {3}, new double[] {Math.PI, -0.0, 1e300})));
  }

  @Test
  void roundTripKeepsValuesShapesDtypesAndMetadata() throws IOException {
    byte[] bytes = sample().toBytes();
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + headerLength) % 8, "data starts 8-byte aligned");
    Safetensors back = Safetensors.parse(bytes, "mem");
    assertEquals("v", back.metadata().get("k"));
    assertEquals(List.of("a", "b"), List.copyOf(back.tensors().keySet()));
    assertArrayEquals(new long[] {2, 3}, back.tensors().get("a").shape());
    assertEquals(Dtype.FLOAT32, back.tensors().get("a").dtype());
    assertArrayEquals(new double[] {1, -2, 3.5, 0.25f, 1e-3f, 7}, back.tensors().get("a").values());
    assertArrayEquals(new double[] {Math.PI, -0.0, 1e300}, back.tensors().get("b").values());
    assertEquals(Dtype.FLOAT64, back.tensors().get("b").dtype());
  }

  @Test
  void truncatedFilesAreRejectedAtEveryLength() {
    byte[] bytes = sample().toBytes();
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, len);
      IOException e = assertThrows(IOException.class, () -> Safetensors.parse(cut, "cut.st"),
          "accepted a file truncated to " + len + " bytes");
      assertTrue(e.getMessage().startsWith("invalid safetensors file cut.st: "), e.getMessage());
    }
  }

  @Test
  void lyingHeadersAreRejectedWithTheReason() {
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4),
        "ends at byte 8 but the data section holds only 4 bytes");
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
        "(12 bytes) but data_offsets span 8 bytes");
    assertRejected(header("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
        "unsupported tensor dtype 'BF16'");
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
        "invalid dimension -2");
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8),
        "invalid data_offsets [-4, 0]");
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlaps");
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
        "gap in the data section");
    assertRejected(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8),
        "data section is 8 bytes but the tensors cover 4 bytes");
    assertRejected(header("{\"a\":{\"dtype\":\"F64\",\"shape\":[100000000000,100000000000],"
        + "\"data_offsets\":[0,8]}}", 8), "larger than any file");
    assertRejected(header("{\"a\": [1, 2", 0), "not valid JSON");
    assertRejected(header("[1,2]", 0), "not a JSON object");
    assertRejected(header("{\"__metadata__\":{\"x\":1}}", 0), "value of 'x' is not a string");
    byte[] huge = new byte[16];
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
    assertRejected(huge, "is impossible for a file of 16 bytes");
  }

  @Test
  void randomBytesNeverCrash() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    byte[] good = sample().toBytes();
    for (int trial = 0; trial < 2000; trial++) {
      byte[] b = good.clone();
      for (int flips = 1 + rng.nextInt(4); flips > 0; flips--) {
        b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
      }
      try {
        Safetensors.parse(b, "fuzz");
      } catch (IOException expected) {
        assertTrue(expected.getMessage().startsWith("invalid safetensors file fuzz: "));
      }
    }
  }

  private static byte[] header(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  private static void assertRejected(byte[] bytes, String reason) {
    IOException e = assertThrows(IOException.class, () -> Safetensors.parse(bytes, "bad.st"));
    assertTrue(e.getMessage().contains(reason), "message was: " + e.getMessage());
  }
}
