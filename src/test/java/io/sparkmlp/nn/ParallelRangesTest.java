package io.sparkmlp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The ranges cover [0, n) exactly once, aligned, and failures and checks come back whole. */
class ParallelRangesTest {
  private final String callerName = Thread.currentThread().getName();

  @Test
  void rangesTileTheIntervalAlignedForAnyThreadCount() {
    int[] sizes = {0, 1, 63, ParallelRanges.MIN_RANGE - 1, ParallelRanges.MIN_RANGE,
        2 * ParallelRanges.MIN_RANGE + 5, 235_146, 1_000_003};
    for (int n : sizes) {
      for (int threads = 1; threads <= ParallelRanges.MAX_THREADS; threads++) {
        int parts = ParallelRanges.parts(n, threads);
        assertTrue(parts >= 1 && parts <= Math.max(1,
            threads == 1 ? 1 : threads * ParallelRanges.RANGES_PER_THREAD), n + " in " + parts);
        assertTrue(threads > 1 || parts == 1, "one thread runs one range");
        assertTrue(parts == 1 || n / parts >= ParallelRanges.MIN_RANGE, n + " in " + parts);
        assertEquals(0, ParallelRanges.bound(n, parts, 0));
        assertEquals(n, ParallelRanges.bound(n, parts, parts));
        for (int p = 1; p < parts; p++) {
          int at = ParallelRanges.bound(n, parts, p);
          assertEquals(0, at % 64, "range " + p + " of " + parts + " over " + n + " at " + at);
          assertTrue(at > ParallelRanges.bound(n, parts, p - 1), n + " range " + p);
        }
      }
    }
  }

  @Test
  void everyElementIsVisitedOnceAndTheResultDoesNotDependOnTheCut() {
    int n = 5 * ParallelRanges.MIN_RANGE + 17;
    double[] in = new double[n];
    for (int i = 0; i < n; i++) {
      in[i] = Math.sin(i) * 1e3;
    }
    int[] visits = new int[n];
    double[] out = new double[n];
    Set<String> threads = ConcurrentHashMap.newKeySet();
    ParallelRanges.forEach(n, (from, to) -> {
      threads.add(Thread.currentThread().getName());
      for (int i = from; i < to; i++) {
        visits[i]++;
        out[i] = Math.sqrt(Math.abs(in[i])) / 3.0;
      }
    });
    for (int i = 0; i < n; i++) {
      assertEquals(1, visits[i], "element " + i);
      assertEquals(Math.sqrt(Math.abs(in[i])) / 3.0, out[i], 0.0);
    }
    int maxThreads = Math.min(ParallelRanges.MAX_THREADS,
        Runtime.getRuntime().availableProcessors());
    // the caller and any helper still spinning from an earlier pass claim ranges as they come:
    // either may take all of them (a caller descheduled right after queueing the pass takes none)
    assertTrue(!threads.isEmpty() && threads.size() <= maxThreads, threads.toString());
    for (String t : threads) {
      assertTrue(t.equals(callerName) || t.startsWith("spark-mlp-ranges-"), t);
    }
  }

  @Test
  void helpersTakeRangesOfALongPass() {
    assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one processor: no helpers");
    Set<String> threads = ConcurrentHashMap.newKeySet();
    long deadline = System.nanoTime() + 10_000_000_000L;
    ParallelRanges.forEach(8 * ParallelRanges.MIN_RANGE, (from, to) -> {
      threads.add(Thread.currentThread().getName());
      // a range lasts until a second thread has joined: long enough for a parked helper to wake
      while (threads.size() < 2 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
    });
    assertTrue(threads.size() >= 2, threads.toString());
  }

  @Test
  void concurrentCallersEachGetTheirWholePass() throws Exception {
    int n = 6 * ParallelRanges.MIN_RANGE + 3;
    int callers = 4;
    double[][] out = new double[callers][n];
    Thread[] ts = new Thread[callers];
    for (int c = 0; c < callers; c++) {
      double[] o = out[c];
      double add = c;
      ts[c] = new Thread(() -> {
        for (int rep = 0; rep < 50; rep++) {
          ParallelRanges.forEach(n, (from, to) -> {
            for (int i = from; i < to; i++) {
              o[i] += 1 + add;
            }
          });
        }
      });
      ts[c].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    for (int c = 0; c < callers; c++) {
      for (int i = 0; i < n; i++) {
        assertEquals(50.0 * (1 + c), out[c][i], 0.0, "caller " + c + " element " + i);
      }
    }
  }

  @Test
  void smallPassesRunOnTheCallerAlone() {
    AtomicInteger calls = new AtomicInteger();
    ParallelRanges.forEach(ParallelRanges.MIN_RANGE + 1, (from, to) -> {
      assertEquals(0, from);
      assertEquals(ParallelRanges.MIN_RANGE + 1, to);
      assertEquals(Thread.currentThread().getName(), callerName);
      calls.incrementAndGet();
    });
    assertEquals(1, calls.get());
  }

  @Test
  void allOfIsTheConjunctionAndRunsEveryRange() {
    int n = 4 * ParallelRanges.MIN_RANGE;
    boolean[] seen = new boolean[n];
    int bad = n - 3; // in the last range, which is another thread's where there are several
    assertFalse(ParallelRanges.allOf(n, (from, to) -> {
      for (int i = from; i < to; i++) {
        seen[i] = true;
      }
      return !(from <= bad && bad < to);
    }));
    for (int i = 0; i < n; i++) {
      assertTrue(seen[i], "element " + i);
    }
    assertTrue(ParallelRanges.allOf(n, (from, to) -> true));
  }

  @Test
  void aFailureInAnyRangeIsRethrownAfterAllHaveRun() {
    int n = 4 * ParallelRanges.MIN_RANGE;
    AtomicInteger done = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> ParallelRanges.forEach(n, (from, to) -> {
          done.addAndGet(to - from);
          if (to == n) {
            throw boom;
          }
        }));
    assertSame(boom, thrown);
    assertEquals(n, done.get());
  }
}
