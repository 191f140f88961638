package io.sparkmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.nn.Loss;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The field names of steps.jsonl are a stable interface: pin them, their order and values. */
class MetricsLogTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void stepsFileHoldsEveryNthStepWithItsDocumentedFields() throws Exception {
    MetricsLog log = new MetricsLog(new Path(dir.toUri()), new Configuration(),
        Loss.CROSS_ENTROPY, 2);
    log.onStep(1, 1, 1, 2.5, 0.1, 32);
    log.onStep(1, 2, 2, 2.25, 0.1, 32);
    log.onStep(2, 1, 3, 2.0, 0.05, 16);
    log.onStep(2, 2, 4, 1.75, 0.05, 16);
    log.flush();

    List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.STEPS_FILE),
        StandardCharsets.UTF_8);
    assertEquals(List.of(
        "{\"epoch\":1,\"step\":2,\"global_step\":2,\"loss\":2.25,\"lr\":0.1,\"rows\":32}",
        "{\"epoch\":2,\"step\":2,\"global_step\":4,\"loss\":1.75,\"lr\":0.05,\"rows\":16}"),
        lines);
    assertEquals(2, log.steps().size());
    assertEquals(4, log.steps().get(1).globalStep());
  }
}
