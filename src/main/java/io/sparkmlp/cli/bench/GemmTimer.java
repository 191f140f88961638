package io.sparkmlp.cli.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkmlp.blas.Blas;
import io.sparkmlp.nn.Dtype;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Times one {@link Gemm} on the BLAS in use, with {@code threads} threads calling it at once
 * on their own operands: that is how the partitions' tasks share the cores during training, so
 * a rate measured with as many threads as busy cores is the one that bounds an epoch (memory
 * bandwidth and clock are shared; one thread alone is usually faster).
 */
final class GemmTimer {
  private static final int WARMUP_CALLS = 3;

  private GemmTimer() {}

  /** Mean seconds per call of {@code call}, repeated for about {@code millis} ms. */
  static double timeCalls(Runnable call, long millis) {
    long t0 = System.nanoTime();
    long deadline = t0 + millis * 1_000_000L;
    long calls = 0;
    long now;
    do {
      call.run();
      calls++;
      now = System.nanoTime();
    } while (now < deadline);
    return (now - t0) / 1e9 / calls;
  }

  /** Mean seconds per call per thread over about {@code millis} ms of calls. */
  static double secondsPerCall(Gemm gemm, Dtype dtype, int threads, long millis) {
    BLAS blas = Blas.get();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Runnable call = gemm.prepare(dtype, blas, t + 1);
        results.add(pool.submit(() -> {
          for (int i = 0; i < WARMUP_CALLS; i++) {
            call.run();
          }
          start.await();
          return timeCalls(call, millis);
        }));
      }
      double sum = 0;
      for (Future<Double> f : results) {
        sum += f.get();
      }
      return sum / threads;
    } catch (Exception e) {
      throw new IllegalStateException("GEMM timing of " + gemm + " failed", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
