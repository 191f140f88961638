package io.sparkmlp.cli.bench;

import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.StepTimings;
import io.sparkmlp.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Collects the epoch times and per-step timings of a training run, leaving out the first
 * {@code warmupEpochs} epochs (JIT compilation, first broadcast, BLAS warm-up).
 */
final class TimingListener implements TrainingListener {
  private final int warmupEpochs;
  private final List<Double> epochSeconds = new ArrayList<>();
  private final List<StepTimings> steps = new ArrayList<>();
  private int epoch;

  TimingListener(int warmupEpochs) {
    this.warmupEpochs = warmupEpochs;
  }

  @Override
  public void onStep(int epoch, int step, long globalStep, double loss, double lr, long rows) {
    this.epoch = epoch;
  }

  @Override
  public void onStepTimings(StepTimings timings) {
    if (epoch > warmupEpochs) {
      steps.add(timings);
    }
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    if (m.epoch > warmupEpochs) {
      epochSeconds.add(m.seconds);
    }
  }

  double[] epochSeconds() {
    return epochSeconds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** One value of every timed step (e.g. bytes), via {@code value}. */
  double[] stepValues(ToLongFunction<StepTimings> value) {
    return steps.stream().mapToDouble(value::applyAsLong).toArray();
  }

  /** Milliseconds of one part of every timed step, via {@code part}; empty if unmeasured. */
  double[] stepMillis(ToLongFunction<StepTimings> part) {
    long[] nanos = steps.stream().mapToLong(part).toArray();
    for (long n : nanos) {
      if (n < 0) {
        return new double[0];
      }
    }
    return Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
  }
}
