package io.sparkmlp.nn;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs an element-wise pass over {@code [0, n)} as contiguous ranges on several cores: the
 * driver's per-step passes over the parameters (mean gradient, optimizer, rounding, conversion
 * to the compute dtype). Each element's arithmetic is the same whichever range and thread holds
 * it, so the result has the same bits for any number of threads.
 *
 * <p>Why: these passes sit between two steps, while every task waits for the new weights, and
 * Adam is bound by its divisions and square roots (≈ 1.7 ns per parameter on one core), so a
 * second core halves it.
 *
 * <p>How, and why not a thread pool: waking a parked thread costs 50–100 µs on a virtual
 * machine, as much as the pass itself at a few hundred thousand parameters. So a pass is cut
 * into up to {@value #RANGES_PER_THREAD} ranges per thread (of at least {@value #MIN_RANGE}
 * elements; smaller passes run on the caller alone), the caller starts on them at once, and
 * helper threads claim the remaining ones as they arrive: a late helper takes fewer ranges
 * instead of delaying the pass. A helper that finishes waits {@value #HELPER_SPIN_MICROS} µs
 * (spinning) for the next pass before it parks, so the driver's consecutive passes of one step
 * hand over without a wake-up; the caller waits for ranges in flight by spinning, then
 * yielding.
 */
public final class ParallelRanges {
  /** The fewest elements worth a range of their own. */
  public static final int MIN_RANGE = 1 << 14;
  /** The most threads a pass uses, the caller's included. */
  static final int MAX_THREADS = 8;
  /** Ranges per thread: small enough pieces for a late helper to take its share. */
  static final int RANGES_PER_THREAD = 4;
  /** How long a helper looks for more work before it parks. */
  static final long HELPER_SPIN_MICROS = 50;
  /** How long the caller spins for ranges in flight before it yields between looks. */
  private static final long CALLER_SPIN_NANOS = 200_000;
  /** Range boundaries are multiples of this many elements (whole cache lines, whole vectors). */
  private static final int ALIGN = 64;
  private static final int THREADS =
      Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
  private static final ConcurrentLinkedQueue<Pass> QUEUE = new ConcurrentLinkedQueue<>();
  private static final Helper[] HELPERS = startHelpers(THREADS - 1);

  private ParallelRanges() {}

  /** A pass over elements {@code [from, to)}. */
  public interface Body {
    void run(int from, int to);
  }

  /** A pass over elements {@code [from, to)} that reports whether they all passed a check. */
  public interface Check {
    boolean run(int from, int to);
  }

  /** Runs {@code body} over {@code [0, n)}, in ranges on several threads when n is large. */
  public static void forEach(int n, Body body) {
    allOf(n, (from, to) -> {
      body.run(from, to);
      return true;
    });
  }

  /**
   * Runs {@code check} over {@code [0, n)} like {@link #forEach} and returns whether every range
   * returned true. Every range runs, whatever the others return; the first exception (in range
   * order) is rethrown once all have finished.
   */
  public static boolean allOf(int n, Check check) {
    int parts = parts(n, THREADS);
    if (parts <= 1) {
      return check.run(0, n);
    }
    Pass pass = new Pass(n, parts, check);
    int helpers = Math.min(HELPERS.length, parts - 1);
    for (int h = 0; h < helpers; h++) {
      QUEUE.add(pass);
    }
    wakeHelpers(helpers);
    pass.work();
    pass.awaitDone();
    return pass.result();
  }

  /** How many ranges a pass over {@code n} elements is cut into with {@code threads} threads. */
  static int parts(int n, int threads) {
    return threads <= 1 ? 1 : Math.max(1, Math.min(threads * RANGES_PER_THREAD, n / MIN_RANGE));
  }

  /** The start of range {@code p} of {@code parts} over {@code [0, n)}; {@code n} for p = parts. */
  static int bound(int n, int parts, int p) {
    if (p >= parts) {
      return n;
    }
    long at = (long) n * p / parts;
    return (int) (at / ALIGN * ALIGN);
  }

  private static void wakeHelpers(int count) {
    int woken = 0;
    for (Helper h : HELPERS) {
      if (woken == count) {
        return;
      }
      if (h.parked) {
        LockSupport.unpark(h);
        woken++;
      }
    }
  }

  private static Helper[] startHelpers(int count) {
    Helper[] helpers = new Helper[count];
    for (int i = 0; i < count; i++) {
      helpers[i] = new Helper(i + 1);
      helpers[i].start();
    }
    return helpers;
  }

  /** One call's ranges, claimed one at a time by the caller and any helper that joins. */
  private static final class Pass {
    private final int n;
    private final int parts;
    private final Check check;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final boolean[] results;
    private final AtomicReferenceArray<Throwable> failures;

    Pass(int n, int parts, Check check) {
      this.n = n;
      this.parts = parts;
      this.check = check;
      this.results = new boolean[parts];
      this.failures = new AtomicReferenceArray<>(parts);
    }

    /** Runs unclaimed ranges until none is left. */
    void work() {
      for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
        try {
          results[p] = check.run(bound(n, parts, p), bound(n, parts, p + 1));
        } catch (Throwable t) {
          failures.set(p, t);
        }
        done.incrementAndGet(); // publishes results[p] to the caller's read of done
      }
    }

    /** Waits for the ranges other threads still run: they write into the caller's arrays. */
    void awaitDone() {
      long spinUntil = System.nanoTime() + CALLER_SPIN_NANOS;
      while (done.get() < parts) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }

    boolean result() {
      for (int p = 0; p < parts; p++) {
        Throwable t = failures.get(p);
        if (t instanceof RuntimeException r) {
          throw r;
        }
        if (t instanceof Error e) {
          throw e;
        }
        if (t != null) {
          throw new IllegalStateException(t);
        }
      }
      boolean all = true;
      for (boolean r : results) {
        all &= r;
      }
      return all;
    }
  }

  /** A daemon thread that joins queued passes; spins briefly for the next one, then parks. */
  private static final class Helper extends Thread {
    volatile boolean parked;

    Helper(int index) {
      super("spark-mlp-ranges-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      while (true) {
        Pass pass = QUEUE.poll();
        if (pass != null) {
          pass.work();
          continue;
        }
        long spinUntil = System.nanoTime() + HELPER_SPIN_MICROS * 1000;
        while (QUEUE.isEmpty() && System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        }
        if (!QUEUE.isEmpty()) {
          continue;
        }
        parked = true; // then look again: a pass queued before this write is seen below
        if (QUEUE.isEmpty()) {
          LockSupport.park(this);
        }
        parked = false;
      }
    }
  }
}
