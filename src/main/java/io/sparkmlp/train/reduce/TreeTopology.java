package io.sparkmlp.train.reduce;

/**
 * The shape of the reduction tree: the driver is the root, the executors' nodes 0 … n−1 hang
 * below it in a complete k-ary tree. The root's children are nodes 0 … k−1 and node i's children
 * are nodes k(i+1) … k(i+1)+k−1, so the driver, like every node, sends and receives at most k
 * messages per step (per chunk), and a tree of n nodes is ⌈log_k n⌉ levels deep.
 *
 * <p>Which executor becomes which node does not change any result: the sum is exact and
 * order-independent ({@link ExactVectorSum}).
 */
public final class TreeTopology {
  /** The parent index of the root's children. */
  public static final int ROOT = -1;

  private final int nodes;
  private final int fanIn;

  public TreeTopology(int nodes, int fanIn) {
    if (nodes < 1) {
      throw new IllegalArgumentException("a reduction tree needs at least one node, got " + nodes);
    }
    if (fanIn < 2) {
      throw new IllegalArgumentException("the fan-in must be >= 2, got " + fanIn);
    }
    this.nodes = nodes;
    this.fanIn = fanIn;
  }

  public int nodes() {
    return nodes;
  }

  public int fanIn() {
    return fanIn;
  }

  /** Node {@code i}'s parent: another node, or {@link #ROOT}. */
  public int parent(int i) {
    check(i);
    return i < fanIn ? ROOT : i / fanIn - 1;
  }

  /** The first child of {@code i} ({@link #ROOT} for the driver); see {@link #numChildren}. */
  public int firstChild(int i) {
    return i == ROOT ? 0 : (int) Math.min(nodes, (long) fanIn * (i + 1));
  }

  /** How many children {@code i} ({@link #ROOT} for the driver) has. */
  public int numChildren(int i) {
    if (i != ROOT) {
      check(i);
    }
    long first = firstChild(i);
    return (int) Math.max(0, Math.min(nodes, first + fanIn) - first);
  }

  /** Levels below the root: 1 when every node is a child of the driver. */
  public int depth() {
    int depth = 0;
    for (int i = nodes - 1; i != ROOT; i = parent(i)) {
      depth++;
    }
    return depth;
  }

  private void check(int i) {
    if (i < 0 || i >= nodes) {
      throw new IllegalArgumentException("node " + i + " is not one of " + nodes);
    }
  }

  @Override
  public String toString() {
    return nodes + " nodes, fan-in " + fanIn + ", " + depth() + " level" + (depth() == 1 ? "" : "s");
  }
}
