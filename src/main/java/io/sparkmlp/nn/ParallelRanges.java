package io.sparkmlp.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an element-wise pass over {@code [0, n)} as contiguous ranges on several cores: the
 * driver's per-step passes over the parameters (mean gradient, optimizer, rounding, conversion
 * to the compute dtype). Each element's arithmetic is the same whichever range holds it, so the
 * result has the same bits for any number of threads.
 *
 * <p>Why: these passes sit between two steps, while every task waits for the new weights, and
 * Adam is bound by its divisions and square roots (≈ 1.6 ns per parameter on one core, the same
 * on the Vector API), so a second core halves it. A pass is cut into at most one range per
 * available processor (at most {@value #MAX_THREADS}) of at least {@value #MIN_RANGE} elements;
 * smaller passes run on the calling thread alone, as a hand-over costs a few microseconds. The
 * caller computes the first range itself; the others run on a shared pool of daemon threads.
 */
public final class ParallelRanges {
  /** The fewest elements worth a range of their own. */
  public static final int MIN_RANGE = 1 << 15;
  /** The most threads a pass uses, the caller's included. */
  static final int MAX_THREADS = 8;
  /** Range boundaries are multiples of this many elements (whole cache lines, whole vectors). */
  private static final int ALIGN = 64;
  private static final int THREADS =
      Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
  private static final ExecutorService POOL = THREADS == 1 ? null
      : Executors.newFixedThreadPool(THREADS - 1, new DaemonThreads());

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
    @SuppressWarnings("unchecked")
    Future<Boolean>[] others = new Future[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = bound(n, parts, p);
      int to = bound(n, parts, p + 1);
      others[p - 1] = POOL.submit(() -> check.run(from, to));
    }
    boolean all = true;
    Throwable failure = null;
    try {
      all = check.run(0, bound(n, parts, 1));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    boolean interrupted = false;
    for (Future<Boolean> f : others) {
      while (true) { // the ranges write into the caller's arrays: wait for every one of them
        try {
          all &= f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          failure = failure != null ? failure : e.getCause();
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return all;
  }

  /** How many ranges a pass over {@code n} elements is cut into with {@code threads} threads. */
  static int parts(int n, int threads) {
    return Math.max(1, Math.min(threads, n / MIN_RANGE));
  }

  /** The start of range {@code p} of {@code parts} over {@code [0, n)}; {@code n} for p = parts. */
  static int bound(int n, int parts, int p) {
    if (p >= parts) {
      return n;
    }
    long at = (long) n * p / parts;
    return (int) (at / ALIGN * ALIGN);
  }

  private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "spark-mlp-ranges-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
