package io.sparkmlp.train.reduce;

import io.sparkmlp.nn.ArrayOps;
import io.sparkmlp.nn.Dtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A step's weights on the wire: the driver's double parameters in the compute dtype, cut into
 * chunks of {@link PartialSum#RANGE} elements, each a whole message (header, epoch, step, chunk
 * index and count, offset, length, values little-endian). Encoded once per step into buffers
 * reused across steps, and the same bytes go to every child; inner nodes forward the messages
 * unchanged. For float32 the values are {@code (float) param}, exactly what every kernel
 * computes with.
 */
public final class WeightChunks {
  private final Dtype dtype;
  private final int length;
  private final int chunkSize;
  private final ByteBuffer[] messages;

  WeightChunks(Dtype dtype, int length) {
    this(dtype, length, PartialSum.RANGE);
  }

  WeightChunks(Dtype dtype, int length, int chunkSize) {
    this(dtype, length, chunkSize, true);
  }

  /**
   * Chunks of {@code chunkSize} parameters, in direct buffers (for the network) or heap buffers
   * (whose arrays a Spark broadcast carries).
   */
  public WeightChunks(Dtype dtype, int length, int chunkSize, boolean direct) {
    this.dtype = dtype;
    this.length = length;
    this.chunkSize = chunkSize;
    int n = Math.max(1, (int) ((length + (long) chunkSize - 1) / chunkSize));
    messages = new ByteBuffer[n];
    for (int c = 0; c < n; c++) {
      int count = Math.min(chunkSize, length - c * chunkSize);
      int bytes = messageBytes(count);
      messages[c] = (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes))
          .order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  int numChunks() {
    return messages.length;
  }

  private int messageBytes(int count) {
    return Message.HEADER_BYTES + Message.WEIGHTS_FIELDS + 4 + 4 + 1 + dtype.bytes() * count;
  }

  /** Encodes {@code params} as the weights of step {@code seq}; returns the chunk messages. */
  public ByteBuffer[] encode(RunKey run, long seq, int epoch, int step, double[] params) {
    if (params.length != length) {
      throw new IllegalArgumentException(params.length + " parameters for weights of " + length);
    }
    for (int c = 0; c < messages.length; c++) {
      ByteBuffer b = messages[c];
      b.clear();
      Message.putHeader(b, Message.WEIGHTS, run, seq);
      int offset = c * chunkSize;
      int count = Math.min(chunkSize, length - offset);
      b.putInt(epoch).putInt(step).putInt(c).putInt(messages.length);
      b.putInt(offset).putInt(count).put((byte) dtype.bytes());
      if (dtype == Dtype.FLOAT32) {
        ArrayOps.INSTANCE.putFloats(params, offset, count, b);
      } else {
        b.asDoubleBuffer().put(params, offset, count);
        b.position(b.position() + 8 * count);
      }
      b.flip();
    }
    return messages;
  }

  /** A received chunk's fields (the reader is positioned after the header). */
  static final class Chunk {
    final int epoch;
    final int step;
    final int index;
    final int count;

    private Chunk(int epoch, int step, int index, int count) {
      this.epoch = epoch;
      this.step = step;
      this.index = index;
      this.count = count;
    }
  }

  /**
   * Decodes whole chunk messages (header included, as {@link #encode} wrote them) into
   * {@code weights}, a {@code float[]} or {@code double[]} of the parameters' length.
   */
  public static void decodeAll(byte[][] messages, Object weights) {
    for (byte[] m : messages) {
      ByteBuffer in = ByteBuffer.wrap(m);
      Message h = Message.read(in);
      if (h.type != Message.WEIGHTS) {
        throw new IllegalArgumentException("not a weights message: type " + h.type);
      }
      decode(in, weights);
    }
  }

  /**
   * Reads a chunk's fields and decodes its values into {@code weights} ({@code float[]} or
   * {@code double[]} of the given length, matching the dtype the chunk was encoded in).
   */
  static Chunk decode(ByteBuffer in, Object weights) {
    in.order(ByteOrder.LITTLE_ENDIAN);
    int epoch = in.getInt();
    int step = in.getInt();
    int index = in.getInt();
    int count = in.getInt();
    int offset = in.getInt();
    int n = in.getInt();
    byte bytes = in.get();
    int length = weights instanceof float[] ? ((float[]) weights).length : ((double[]) weights).length;
    if (offset < 0 || n < 0 || offset + n > length || index < 0 || index >= count) {
      throw new IllegalArgumentException("weights chunk " + index + "/" + count + " of ["
          + offset + ", " + (offset + n) + ") does not fit " + length + " parameters");
    }
    if (weights instanceof float[] && bytes == 4) {
      in.asFloatBuffer().get((float[]) weights, offset, n);
    } else if (weights instanceof double[] && bytes == 8) {
      in.asDoubleBuffer().get((double[]) weights, offset, n);
    } else {
      throw new IllegalArgumentException("weights chunk of " + bytes + "-byte values for a "
          + (weights instanceof float[] ? "float32" : "float64") + " kernel");
    }
    return new Chunk(epoch, step, index, count);
  }
}
