package io.sparkmlp.train.reduce;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a reduction-tree message (little-endian): {@code magic, type, run, seq}, then the
 * type's own fields. Three types travel: a chunk of a step's weights (down the tree), a range of
 * a node's partial sum (up the tree) and "finish" (down). Bodies are raw little-endian
 * primitive arrays ({@link WeightChunks}, {@link PartialSum#encodeRange}); nothing is
 * Java-serialized, so receivers need no class of the application jar to read them.
 */
final class Message {
  /** "SMR" and wire version 1. */
  static final int MAGIC = 0x534d5201;
  static final byte WEIGHTS = 1;
  static final byte PARTIAL = 2;
  static final byte FINISH = 3;
  /** magic, type, run (2 longs + generation), seq. */
  static final int HEADER_BYTES = 4 + 1 + RunKey.BYTES + 8;
  /** A weights chunk's fields after the header: epoch, step, chunk, chunks. */
  static final int WEIGHTS_FIELDS = 4 + 4 + 4 + 4;
  /** A partial range's fields after the header: the sending node. */
  static final int PARTIAL_FIELDS = 4;

  final byte type;
  final RunKey run;
  final long seq;

  private Message(byte type, RunKey run, long seq) {
    this.type = type;
    this.run = run;
    this.seq = seq;
  }

  /** Writes a header into {@code out} from its position. */
  static void putHeader(ByteBuffer out, byte type, RunKey run, long seq) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).put(type);
    run.put(out);
    out.putLong(seq);
  }

  /** Reads a header from {@code in}'s position; the type's fields follow. */
  static Message read(ByteBuffer in) {
    in.order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < HEADER_BYTES) {
      throw new IllegalArgumentException("reduction message of " + in.remaining() + " bytes");
    }
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException(String.format(
          "not a spark-mlp reduction message (magic 0x%08x)", magic));
    }
    byte type = in.get();
    if (type < WEIGHTS || type > FINISH) {
      throw new IllegalArgumentException("unknown reduction message type " + type);
    }
    return new Message(type, RunKey.read(in), in.getLong());
  }

  /** A whole "finish" message for {@code run}. */
  static ByteBuffer finish(RunKey run) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    putHeader(b, FINISH, run, -1);
    b.flip();
    return b;
  }
}
