package io.sparkmlp.train.reduce;

import io.sparkmlp.nn.ArrayOps;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.ParallelRanges;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the reduction tree for one launch of a run: the driver's root, or the one node of
 * an executor JVM that all of that executor's tasks share.
 *
 * <p>Per step {@code seq}: the node receives the weights from its parent (chunk messages, or
 * the driver's parameters in-JVM), forwards every chunk unchanged to its children, decodes them
 * once into the weights array its tasks compute with, and starts a fresh {@link PartialSum}.
 * Its tasks add their partitions' gradients ({@link #contribute}) and its children their
 * partial sums (range messages or in-JVM objects); when all have arrived the node sends the sum
 * to its parent — one message per range, whatever the number of its tasks. At the root, "send"
 * means the step is complete ({@link #awaitSum}).
 *
 * <p>Steps never overlap: step s + 1's weights reach a node only after the root has step s's
 * whole sum, so buffers (weights, partial sum, send buffers) are reused step after step.
 * Messages of another step or of a superseded launch are dropped.
 */
public final class ReduceNode {
  private static final Logger LOG = LoggerFactory.getLogger(ReduceNode.class);

  /** What a task gets to compute with: the step and the node's one copy of its weights. */
  public static final class Work {
    public final long seq;
    public final int epoch;
    public final int step;
    /** {@code float[]} (float32) or {@code double[]} (float64), in the parameter layout. */
    public final Object weights;

    Work(long seq, int epoch, int step, Object weights) {
      this.seq = seq;
      this.epoch = epoch;
      this.step = step;
      this.weights = weights;
    }
  }

  private final RunKey run;
  private final int index;
  private final Dtype dtype;
  private final int length;
  private final Link parent;
  private final List<Link> children;
  /** The topology index of the first child (children are consecutive nodes). */
  private final int firstChild;
  private final int localTasks;
  private final int expected;

  /** The weights tasks compute with; for float64 in-JVM, the driver's own parameter array. */
  private Object weights;
  private long weightsSeq = -1;
  private long pendingSeq = -1;
  private int epoch;
  private int step;
  private int chunksSeen;
  private ByteBuffer[] forward;
  private WeightChunks encoder;

  private final PartialSum sum;
  private PartialSum adopted;
  private long sumSeq = -1;
  /** Per range: how many of the expected contributions (tasks and children) it holds. */
  private final int[] rangeContributions;
  private int rangesComplete;
  private final BitSet[] childRanges;
  /** At the root: the bytes of weights sent and of sums received since the last call. */
  private long bytesOut;
  private long bytesIn;
  private boolean finished;
  private String failure;
  /**
   * The tasks waiting in {@link #awaitWeights}. They park and are unparked one by one by whoever
   * publishes the weights, after it has left the monitor: with {@code wait}/{@code notifyAll}
   * the woken tasks re-enter the monitor in turn, each woken only when the one before has run,
   * so the last of C tasks of an executor started C − 1 thread wake-ups late.
   */
  private final Set<Thread> waitingTasks = ConcurrentHashMap.newKeySet();

  /**
   * @param index this node's index in the {@link TreeTopology}, {@link TreeTopology#ROOT} for the driver
   * @param parent where the sum goes; null at the root
   * @param children the links to this node's children, in child order
   * @param firstChild the topology index of the first child
   * @param localTasks how many tasks (partitions) of this JVM contribute to this node
   */
  public ReduceNode(RunKey run, int index, Dtype dtype, int length, Link parent,
      List<Link> children, int firstChild, int localTasks) {
    this.run = run;
    this.index = index;
    this.dtype = dtype;
    this.length = length;
    this.parent = parent;
    this.children = List.copyOf(children);
    this.firstChild = firstChild;
    this.localTasks = localTasks;
    this.expected = localTasks + children.size();
    if (expected == 0) {
      throw new IllegalArgumentException("reduction node " + index + " has neither tasks nor children");
    }
    // a node whose parent is in this JVM (local mode) is read in this JVM: its tasks' float32
    // gradients are held by reference and summed in the driver's mean-gradient pass (PartialSum)
    this.sum = new PartialSum(length, parent != null && parent.inJvm());
    this.rangeContributions = new int[sum.numRanges()];
    this.childRanges = new BitSet[children.size()];
    for (int c = 0; c < childRanges.length; c++) {
      childRanges[c] = new BitSet();
    }
    this.weights = parent == null ? null
        : dtype == Dtype.FLOAT32 ? new float[length] : new double[length];
  }

  public RunKey run() {
    return run;
  }

  public int index() {
    return index;
  }

  /** Begins step {@code seq}: a fresh sum, no contributions yet. */
  private void startStep(long seq) {
    pendingSeq = seq;
    chunksSeen = 0;
    sum.clear();
    adopted = null;
    sumSeq = seq;
    Arrays.fill(rangeContributions, 0);
    rangesComplete = 0;
    for (BitSet b : childRanges) {
      b.clear();
    }
  }

  /**
   * At the root: publishes step {@code seq}'s weights to the children, encoded once for all of
   * those in other JVMs.
   */
  public void publish(long seq, int epochOfStep, int stepOfEpoch, double[] params) {
    synchronized (this) {
      if (finished) {
        throw new IllegalStateException("the reduction tree " + run + " is finished");
      }
      startStep(seq);
    }
    sendDown(seq, epochOfStep, stepOfEpoch, params, null);
  }

  private void sendDown(long seq, int epochOfStep, int stepOfEpoch, double[] params,
      ByteBuffer[] chunks) {
    for (Link c : children) {
      if (c.inJvm() || chunks != null) {
        c.sendWeights(chunks, seq, epochOfStep, stepOfEpoch, params);
      } else {
        if (encoder == null) {
          encoder = new WeightChunks(dtype, length);
        }
        chunks = encoder.encode(run, seq, epochOfStep, stepOfEpoch, params);
        c.sendWeights(chunks, seq, epochOfStep, stepOfEpoch, params);
      }
      if (parent == null && !c.inJvm()) {
        long bytes = 0;
        for (ByteBuffer b : chunks) {
          bytes += b.remaining();
        }
        synchronized (this) {
          bytesOut += bytes;
        }
      }
    }
  }

  /** In-JVM: step {@code seq}'s weights as the driver's parameters. */
  void onWeights(long seq, int epochOfStep, int stepOfEpoch, double[] params) {
    synchronized (this) {
      if (finished || seq <= weightsSeq) {
        return;
      }
      startStep(seq);
      if (dtype == Dtype.FLOAT32) {
        // on the idle cores too: the tasks wait for these weights
        float[] w = (float[]) weights;
        ParallelRanges.forEach(length,
            (from, to) -> ArrayOps.INSTANCE.toFloats(params, from, w, from, to - from));
      } else {
        weights = params;
      }
    }
    sendDown(seq, epochOfStep, stepOfEpoch, params, null);
    synchronized (this) {
      publishLocally(seq, epochOfStep, stepOfEpoch);
    }
    wakeTasks();
  }

  /** Makes step {@code seq}'s weights the tasks'; the caller then {@link #wakeTasks}. */
  private void publishLocally(long seq, int epochOfStep, int stepOfEpoch) {
    weightsSeq = seq;
    epoch = epochOfStep;
    step = stepOfEpoch;
  }

  /** Unparks every waiting task; called outside the monitor, which the woken tasks enter. */
  private void wakeTasks() {
    for (Thread t : waitingTasks) {
      LockSupport.unpark(t);
    }
  }

  /** A message from the network for this node: {@code whole} is the message, unread. */
  void onMessage(ByteBuffer whole) {
    if (parent == null) {
      synchronized (this) {
        bytesIn += whole.remaining();
      }
    }
    ByteBuffer in = whole.duplicate();
    Message m = Message.read(in);
    switch (m.type) {
      case Message.WEIGHTS:
        onWeightsChunk(m.seq, whole, in);
        break;
      case Message.PARTIAL:
        onPartialRange(m.seq, in);
        break;
      default:
        finish();
    }
  }

  private void onWeightsChunk(long seq, ByteBuffer whole, ByteBuffer in) {
    boolean published;
    synchronized (this) {
      if (finished || seq <= weightsSeq) {
        LOG.debug("node {} of {} dropped weights of step {} (at step {})", index, run, seq, weightsSeq);
        return;
      }
      if (seq != pendingSeq) {
        startStep(seq);
      }
      int chunk = in.getInt(in.position() + 8);
      int chunks = in.getInt(in.position() + 12);
      if (!children.isEmpty()) {
        if (forward == null || forward.length != chunks) {
          forward = new ByteBuffer[chunks];
        }
        ByteBuffer f = forward[chunk];
        if (f == null || f.capacity() < whole.remaining()) {
          f = ByteBuffer.allocateDirect(whole.remaining());
          forward[chunk] = f;
        }
        f.clear();
        f.put(whole.duplicate());
        f.flip();
        for (Link c : children) {
          c.sendWeights(new ByteBuffer[] {f}, seq, -1, -1, null);
        }
      }
      WeightChunks.Chunk c = WeightChunks.decode(in, weights);
      published = ++chunksSeen == c.count;
      if (published) {
        publishLocally(seq, c.epoch, c.step);
      }
    }
    if (published) {
      wakeTasks();
    }
  }

  private void onPartialRange(long seq, ByteBuffer in) {
    int from = in.getInt();
    int child = from - firstChild;
    synchronized (this) {
      if (seq != sumSeq || child < 0 || child >= childRanges.length) {
        LOG.debug("node {} of {} dropped a partial sum of node {} step {} (at step {})", index,
            run, from, seq, sumSeq);
        return;
      }
    }
    int range = sum.addEncodedRange(in);
    synchronized (this) {
      if (childRanges[child].get(range)) {
        throw new IllegalStateException("node " + index + " of " + run + " got range " + range
            + " of node " + from + " twice in step " + seq);
      }
      childRanges[child].set(range);
    }
    rangeDone(seq, range);
  }

  /**
   * In-JVM: range {@code r} of a child's partial sum of step {@code seq} is complete;
   * {@code last}: it is the child's last, and its scalars are final.
   */
  void onChildRange(long seq, int from, PartialSum childSum, int r, boolean last) {
    boolean adopt;
    synchronized (this) {
      if (seq != sumSeq) {
        return;
      }
      adopt = expected == 1 && parent == null;
      if (adopt) {
        adopted = childSum; // the root's only contribution: round it where it is
      }
    }
    if (!adopt) {
      if (last) {
        sum.addScalarsOf(childSum);
      }
      sum.addRangeOf(childSum, r);
    }
    rangeDone(seq, r);
  }

  /**
   * A task's result for step {@code seq}: its partition's summed gradient ({@code float[]} or
   * {@code double[]}), loss sum, rows, weight sum and compute time. Adding starts at range
   * {@code startRange}, so tasks of one executor spread over the ranges' locks; each range goes
   * on to the parent as soon as all of the node's contributions to it are in. The task leaves
   * the gradient unchanged until it has the next step's weights: a node whose parent is in this
   * JVM holds float32 gradients by reference until the driver has read the sum.
   */
  public void contribute(long seq, Object gradient, double lossSum, long rows, double weightSum,
      long computeNanos, int startRange) {
    synchronized (this) {
      if (seq != sumSeq) {
        throw new IllegalStateException("a task delivered step " + seq + " to node " + index
            + " of " + run + " at step " + sumSeq);
      }
    }
    // before any range: the last range carries them
    sum.addScalars(lossSum, rows, weightSum, computeNanos);
    boolean held = sum.hold(gradient);
    int n = rangeContributions.length;
    for (int k = 0; k < n; k++) {
      int r = Math.floorMod(startRange + k, n);
      if (!held) {
        sum.addRange(r, gradient);
      }
      rangeDone(seq, r);
    }
  }

  /** One more contribution to range {@code r} of step {@code seq}; sends it on when complete. */
  private void rangeDone(long seq, int r) {
    boolean last;
    synchronized (this) {
      if (seq != sumSeq || ++rangeContributions[r] < expected) {
        return;
      }
      last = ++rangesComplete == rangeContributions.length;
      if (parent == null) {
        if (last) {
          notifyAll();
        }
        return;
      }
    }
    try {
      parent.sendRange(seq, index, sum, r, last);
    } catch (RuntimeException e) {
      fail("could not send range " + r + " of step " + seq + " to the parent: " + e);
      throw e;
    }
  }

  /**
   * For a task: waits for the weights of a step after {@code afterSeq}. Returns null when the
   * tree is finished. Fails when {@code timeoutMs} pass, {@code killed} says the task was
   * killed, or the node failed.
   */
  public Work awaitWeights(long afterSeq, long timeoutMs, BooleanSupplier killed)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    Thread me = Thread.currentThread();
    waitingTasks.add(me); // before the first look: a publication after it unparks this thread
    try {
      while (true) {
        long left;
        synchronized (this) {
          if (failure != null) {
            throw new IllegalStateException(failure);
          }
          if (finished || weightsSeq > afterSeq) {
            return finished ? null : new Work(weightsSeq, epoch, step, weights);
          }
          left = deadline - System.nanoTime();
        }
        if (left <= 0) {
          throw new IllegalStateException(String.format(Locale.ROOT, "no weights for the step "
              + "after global step %d within %d ms (node %d of %s)", afterSeq + 1, timeoutMs,
              index, run));
        }
        if (killed.getAsBoolean()) {
          throw new InterruptedException("task killed while waiting for weights");
        }
        LockSupport.parkNanos(this, Math.min(left, 100_000_000L));
        if (Thread.interrupted()) {
          throw new InterruptedException("task interrupted while waiting for weights");
        }
      }
    } finally {
      waitingTasks.remove(me);
    }
  }

  /**
   * At the root: waits until step {@code seq}'s sum is complete, {@code deadlineNanos} passes
   * or {@code stop} says to give up. Returns the complete sum (valid until the next
   * {@link #publish}), or null.
   */
  public PartialSum awaitSum(long seq, long deadlineNanos, BooleanSupplier stop)
      throws InterruptedException {
    synchronized (this) {
      while (sumSeq != seq || rangesComplete < rangeContributions.length) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || stop.getAsBoolean() || failure != null) {
          return null;
        }
        wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
      return adopted != null ? adopted : sum;
    }
  }

  /**
   * At the root: the bytes sent (weights, counted once per child in another JVM) and received
   * (sums) since the last call, as {@code {out, in}}.
   */
  public synchronized long[] takeTraffic() {
    long[] t = {bytesOut, bytesIn};
    bytesOut = 0;
    bytesIn = 0;
    return t;
  }

  /** The children (by index in the topology) whose sums of the current step are incomplete. */
  public synchronized String missingChildren() {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < childRanges.length; c++) {
      if (childRanges[c].cardinality() < rangeContributions.length && adopted == null) {
        b.append(b.length() == 0 ? "" : ", ").append(firstChild + c);
      }
    }
    return "[" + b + "]";
  }

  /** Ends the tree: tasks waiting for weights return, and children are told to finish. */
  public void finish() {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      notifyAll();
    }
    wakeTasks();
    for (Link c : children) {
      try {
        c.sendFinish();
      } catch (RuntimeException e) {
        LOG.debug("could not tell a child of node {} to finish: {}", index, e.toString());
      }
    }
  }

  public synchronized boolean isFinished() {
    return finished;
  }

  /** Marks the node failed: waiting tasks throw with {@code why}. */
  void fail(String why) {
    synchronized (this) {
      failure = why;
      notifyAll();
    }
    wakeTasks();
  }

  Dtype dtype() {
    return dtype;
  }

  int length() {
    return length;
  }
}
