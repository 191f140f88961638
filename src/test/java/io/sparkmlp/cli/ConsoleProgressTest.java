package io.sparkmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.nn.Loss;
import io.sparkmlp.train.EpochMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Console progress with a fake clock: plain lines without a terminal, in-place redraws with one. */
class ConsoleProgressTest {
  private static final long MS = 1_000_000L;

  /** A clock that the test advances by hand. */
  private static final class FakeClock {
    long now = 1_000 * MS;
  }

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final FakeClock clock = new FakeClock();

  /** Two epochs of {@code steps} steps of 10 rows, {@code stepMillis} apart, loss 1.0 then 0.5. */
  private String train(boolean live, int logEvery, int steps, long stepMillis) {
    ConsoleProgress p = new ConsoleProgress(out, Loss.CROSS_ENTROPY, logEvery, live,
        () -> clock.now);
    p.onStart(2, steps, 10L * steps, "job");
    long global = 0;
    for (int e = 1; e <= 2; e++) {
      for (int s = 1; s <= steps; s++) {
        clock.now += stepMillis * MS;
        p.onStep(e, s, ++global, e == 1 ? 1.0 : 0.5, 0.01, 10);
      }
      p.onEpoch(new EpochMetrics(e, e == 1 ? 1.0 : 0.5, 0.9, 0.8, Double.NaN, 0.01,
          steps * stepMillis / 1e3, 10_000 / (double) stepMillis, steps));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutTerminalPrintsOneLinePerEpochAndNoCarriageReturn() {
    String text = train(false, 0, 50, 20);
    assertFalse(text.contains("\r"), text);
    List<String> lines = text.lines().toList();
    assertEquals(3, lines.size(), text);
    assertTrue(lines.get(0).startsWith("training on 500 rows: 2 epochs x 50 steps"), text);
    assertTrue(lines.get(1).startsWith("epoch 1/2  loss 1.0000  val_loss 0.9000  val_acc 80.00%"),
        text);
    assertTrue(lines.get(1).endsWith("ETA 0:01"), "50 steps left at 20 ms each: " + text);
    assertTrue(lines.get(2).startsWith("epoch 2/2  loss 0.5000") && !lines.get(2).contains("ETA"),
        text);
  }

  @Test
  void logEveryAddsAPlainLinePerNSteps() {
    String text = train(false, 20, 50, 20);
    assertFalse(text.contains("\r"), text);
    List<String> steps = text.lines().filter(l -> l.startsWith("  epoch ")).toList();
    assertEquals(List.of("  epoch 1/2 step 20/50", "  epoch 1/2 step 40/50",
        "  epoch 2/2 step 10/50", "  epoch 2/2 step 30/50", "  epoch 2/2 step 50/50"),
        steps.stream().map(l -> l.substring(0, l.indexOf("  loss"))).toList());
  }

  @Test
  void terminalRedrawsInPlaceAtMostTenTimesASecond() {
    String text = train(true, 0, 50, 10);
    // 50 steps of 10 ms per epoch: a redraw every 100 ms is 5 per epoch, not 50.
    long redraws = text.chars().filter(c -> c == '\r').count();
    assertEquals(2 * 5 + 2, redraws, "5 live redraws and the final line per epoch:\n" + text);
    String firstEpoch = text.substring(0, text.indexOf('\n', text.indexOf("epoch 1/2  loss")));
    String lastDraw = firstEpoch.substring(firstEpoch.lastIndexOf("\repoch 1/2  step") + 1,
        firstEpoch.lastIndexOf('\r'));
    assertTrue(lastDraw.startsWith("epoch 1/2  step 41/50  loss 1.0000  1000 rows/s  ETA 0:01"),
        lastDraw);
    // The epoch line replaces the live line and blanks what is left of it.
    String epochLine = firstEpoch.substring(firstEpoch.lastIndexOf('\r') + 1);
    assertTrue(epochLine.startsWith("epoch 1/2  loss 1.0000"), epochLine);
    assertTrue(epochLine.length() >= lastDraw.length(), "padded over the live line");
    assertTrue(text.endsWith("\n"), "ends on a full line");
  }

  @Test
  void runningLossIsTheRowWeightedMeanOfTheEpochSoFar() {
    ConsoleProgress p = new ConsoleProgress(out, Loss.MSE, 0, true, () -> clock.now);
    p.onStart(1, 3, 40, "job");
    clock.now += 200 * MS;
    p.onStep(1, 1, 1, 2.0, 0.1, 30);
    clock.now += 200 * MS;
    p.onStep(1, 2, 2, 6.0, 0.1, 10);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\repoch 1/1  step 2/3  loss 3.0000  100 rows/s  ETA 0:00"), text);
  }
}
