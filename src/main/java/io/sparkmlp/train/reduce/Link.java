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

  /** Sends {@code sum}, node {@code from}'s complete partial sum of step {@code seq}. */
  abstract void sendPartial(long seq, int from, PartialSum sum);

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
      void sendPartial(long seq, int from, PartialSum sum) {
        node.get().onChildSum(seq, from, sum);
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
   * A link to a node in another JVM over {@code client}. Partial sums are encoded range by
   * range into buffers owned by the link and reused every step: the parent has read step s's
   * ranges before step s + 1 can begin, since that needs the root to have the whole sum of s.
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
      void sendPartial(long seq, int from, PartialSum sum) {
        for (int r = 0; r < sum.numRanges(); r++) {
          int bytes = Message.HEADER_BYTES + Message.PARTIAL_FIELDS + sum.maxEncodedBytes(r);
          if (rangeBuffers.size() <= r) {
            rangeBuffers.add(null);
          }
          ByteBuffer b = rangeBuffers.get(r);
          if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(bytes + bytes / 8);
            rangeBuffers.set(r, b);
          }
          b.clear();
          Message.putHeader(b, Message.PARTIAL, run, seq);
          b.putInt(from).putInt(sum.numRanges());
          sum.encodeRange(r, b);
          b.flip();
          client.send(b.duplicate());
        }
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
