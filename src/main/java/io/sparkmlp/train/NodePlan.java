package io.sparkmlp.train;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.train.reduce.Link;
import io.sparkmlp.train.reduce.ReduceNode;
import io.sparkmlp.train.reduce.ReduceTransport;
import io.sparkmlp.train.reduce.RunKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What the driver tells each task of an executor about that executor's node of the reduction
 * tree: its index, where its parent's server is (the driver's for the top level), its children's
 * servers, how many of its partitions run there and this task's rank among them. Crosses the RPC
 * layer as JDK types only ({@link #toWire()}), like {@link StageJoin}.
 */
record NodePlan(int index, String parentHost, int parentPort, String[] childHosts,
    int[] childPorts, int firstChild, int localTasks, int localRank) {
  /** The reply that tells a task to return instead. */
  static final Object[] FINISH = {"finish"};
  static final Object[] READY = {"ready"};

  /** The same node seen by another of its tasks. */
  NodePlan withRank(int rank) {
    return new NodePlan(index, parentHost, parentPort, childHosts, childPorts, firstChild,
        localTasks, rank);
  }

  Object[] toWire() {
    return new Object[] {"node", index, parentHost, parentPort, childHosts, childPorts, firstChild,
        localTasks, localRank};
  }

  static boolean isFinish(Object[] w) {
    return w.length == 1 && "finish".equals(w[0]);
  }

  static NodePlan fromWire(Object[] w) {
    return new NodePlan((Integer) w[1], (String) w[2], (Integer) w[3], (String[]) w[4],
        (int[]) w[5], (Integer) w[6], (Integer) w[7], (Integer) w[8]);
  }

  /** This executor's node, connected to its parent's and children's servers. */
  ReduceNode newNode(RunKey run, ReduceTransport transport, Dtype dtype, int numParams) {
    List<Link> children = new ArrayList<>();
    for (int c = 0; c < childHosts.length; c++) {
      children.add(transport.link(childHosts[c], childPorts[c], run));
    }
    return new ReduceNode(run, index, dtype, numParams,
        transport.link(parentHost, parentPort, run), children, firstChild, localTasks);
  }
}
