package io.sparkmlp.train.reduce;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.network.client.TransportClient;

/**
 * One edge of the reduction tree, seen from the node that sends over it: weights and "finish"
 * go down to a child, a partial sum goes up to the parent. Across JVMs the messages are raw
 * little-endian bytes on Spark's network transport ({@link ReduceTransport}); within one JVM (the
 * driver and its own executor in local mode) the same calls hand over objects by reference,
 * which gives the same bits because every sum is exact.
 */
public abstract class Link {
  /** Sends step {@code seq}'s weights: the encoded chunk messages, or {@code params} in-JVM. */
  abstract void sendWeights(ByteBuffer[] chunks, long seq, int epoch, int step, double[] params);

  /**
   * Sends range {@code r} of {@code sum}, node {@code from}'s partial sum of step {@code seq},
   * once complete; {@code last}: the node's last range, which carries its loss, rows and
   * partition count.
   */
  abstract void sendRange(long seq, int from, PartialSum sum, int r, boolean last);

  abstract void sendFinish();

  /** Whether the other end is in this JVM (it then takes the driver's parameters directly). */
  abstract boolean inJvm();

  /** A link to a node in this JVM, found when first used (two nodes can link each other). */
  public static Link local(Supplier<ReduceNode> node) {
    return new Link() {
      @Override
      void sendWeights(ByteBuffer[] chunks, long seq, int epoch, int step, double[] params) {
        node.get().onWeights(seq, epoch, step, params);
      }

      @Override
      void sendRange(long seq, int from, PartialSum sum, int r, boolean last) {
        node.get().onChildRange(seq, from, sum, r, last);
      }

      @Override
      void sendFinish() {
        node.get().finish();
      }

      @Override
      boolean inJvm() {
        return true;
      }
    };
  }

  /**
   * A link to a node in another JVM over {@code client}. Ranges are encoded into buffers owned
   * by the link and reused every step: the parent has read step s's ranges before step s + 1
   * can begin, since that needs the root to have the whole sum of s.
   */
  static Link network(TransportClient client, RunKey run) {
    return new Link() {
      private final List<ByteBuffer> rangeBuffers = new ArrayList<>();

      @Override
      void sendWeights(ByteBuffer[] chunks, long seq, int epoch, int step, double[] params) {
        for (ByteBuffer c : chunks) {
          client.send(c.duplicate());
        }
      }

      @Override
      synchronized void sendRange(long seq, int from, PartialSum sum, int r, boolean last) {
        int bytes = Message.HEADER_BYTES + Message.PARTIAL_FIELDS + sum.maxEncodedBytes(r);
        while (rangeBuffers.size() <= r) {
          rangeBuffers.add(null);
        }
        ByteBuffer b = rangeBuffers.get(r);
        if (b == null || b.capacity() < bytes) {
          b = ByteBuffer.allocateDirect(bytes + bytes / 8);
          rangeBuffers.set(r, b);
        }
        b.clear();
        Message.putHeader(b, Message.PARTIAL, run, seq);
        b.putInt(from);
        sum.encodeRange(r, last, b);
        b.flip();
        client.send(b.duplicate());
      }

      @Override
      void sendFinish() {
        client.send(Message.finish(run));
      }

      @Override
      boolean inJvm() {
        return false;
      }
    };
  }
}
