package io.sparkmlp.cli.bench;

import io.sparkmlp.train.EpochMetrics;
import io.sparkmlp.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation accuracy after each epoch with the seconds since the timeline was created
 * (just before {@code fit}), so the race can say when our model first reached an accuracy.
 * The times include each epoch's validation pass: our side of the race pays for its own
 * scoring, MLPC's does not.
 */
final class AccuracyTimeline implements TrainingListener {
  /** One epoch's end: seconds since the start and validation accuracy. */
  record Point(int epoch, double seconds, double accuracy) {}

  private final long start = System.nanoTime();
  private final List<Point> points = new ArrayList<>();

  @Override
  public void onEpoch(EpochMetrics m) {
    points.add(new Point(m.epoch, (System.nanoTime() - start) / 1e9, m.valMetric));
  }

  /** The first epoch whose accuracy is at least {@code accuracy}, or null if none. */
  Point firstReaching(double accuracy) {
    return points.stream().filter(p -> p.accuracy() >= accuracy).findFirst().orElse(null);
  }

  Point last() {
    return points.get(points.size() - 1);
  }
}
