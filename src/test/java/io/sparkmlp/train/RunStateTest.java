package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.io.CheckpointFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.nn.Activation;
import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.nn.MLP;
import io.sparkmlp.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run state's lifecycle (steps, epochs, the early-stopping record, the outcome) and its
 * checkpoint file: version 2 round-trips the epoch in progress; version 1, as written before
 * the run state existed, still reads.
 */
class RunStateTest {
  /** A real version-1 checkpoint (how it was made: {@code reliability.RunStateResumeTest}). */
  private static final Path VERSION_1 =
      Path.of("src/test/resources/checkpoints/v1/ckpt-000000020.safetensors");
  private static final MLP MLP_3 = new MLP(2, new int[] {2}, 3, Activation.RELU,
      Loss.CROSS_ENTROPY);
  @TempDir Path tmp;

  private static EpochMetrics epoch(int e, double trainLoss, double valLoss) {
    return new EpochMetrics(e, trainLoss, valLoss, 0.5, Double.NaN, 0.1, 2.0, 100, 2);
  }

  private static RunState started(int n) {
    double[] params = new double[n];
    for (int i = 0; i < n; i++) {
      params[i] = i + 0.5;
    }
    return RunState.fresh(params, new OptimizerState(0, new double[][] {new double[n]}));
  }

  private static void step(RunState s, double delta, double lossSum, long rows) {
    for (int i = 0; i < s.params.length; i++) {
      s.params[i] += delta;
      s.optimizerState.buffer(0)[i] += delta / 2;
    }
    s.stepTaken(lossSum, rows);
  }

  @Test
  void stepsAndEpochsAdvanceThePositionSumsAndBestRecord() {
    RunState s = started(17);
    double[] start = s.params.clone();
    step(s, 1, 6.0, 4);
    step(s, 1, 3.0, 2);
    assertEquals(2, s.step);
    assertEquals(2, s.globalStep);
    assertEquals(1.5, s.epochTrainLoss(MLP_3), 0.0, "9 / 6 rows");
    assertArrayEquals(start, s.epochStartParams, "the epoch's start weights stay");

    s.finishEpoch(epoch(1, 1.5, 0.9), 0.9, true);
    assertEquals(1, s.epoch);
    assertEquals(0, s.step);
    assertEquals(2, s.globalStep);
    assertEquals(0, s.epochRows);
    assertEquals(0.0, s.epochLossSum);
    assertArrayEquals(s.params, s.epochStartParams, "the next epoch starts from here");
    assertEquals(1, s.bestEpoch);
    assertArrayEquals(s.params, s.bestParams);
    assertNotSame(s.params, s.bestParams);
    double[] best = s.params.clone();

    step(s, 1, 1.0, 6);
    s.finishEpoch(epoch(2, 0.2, 1.1), 1.1, true);
    assertEquals(1, s.bestEpoch, "a higher loss is no new best");
    assertArrayEquals(best, s.bestParams);
    assertTrue(s.patienceRunOut(1));
    assertFalse(s.patienceRunOut(2));
    assertFalse(s.patienceRunOut(0), "0 turns early stopping off");

    TrainResult r = s.result(MLP_3, true, true, 1.0, "job");
    assertArrayEquals(best, r.params, "the best epoch's weights are restored");
    assertEquals(1, r.bestEpoch);
    assertEquals(List.of(1, 2), r.history.stream().map(m -> m.epoch).toList());
  }

  @Test
  void withoutEarlyStoppingTheLastWeightsAndEpochAreTheOutcome() {
    RunState s = started(5);
    step(s, 1, 1.0, 1);
    s.finishEpoch(epoch(1, 1.0, Double.NaN), 1.0, false);
    step(s, 1, 2.0, 1);
    s.finishEpoch(epoch(2, 2.0, Double.NaN), 2.0, false);
    assertNull(s.bestParams);
    TrainResult r = s.result(MLP_3, false, false, 1.0, "job");
    assertArrayEquals(s.params, r.params);
    assertEquals(2, r.bestEpoch, "the last epoch without validation data");
  }

  @Test
  void aCheckpointIsASnapshotAndRoundTripsTheEpochInProgress() throws Exception {
    RunState s = started(11);
    step(s, 0.25, 2.0, 4);
    s.finishEpoch(epoch(1, 0.5, 0.4), 0.4, true);
    step(s, 0.25, 1.0, 4);
    step(s, 0.25, 1.0, 4);
    s.epochSecondsBefore = 7.5;
    s.clockIn();
    Checkpoint c = new Checkpoint(s, Map.of("lr", "0.1"));
    assertTrue(c.epochSecondsBefore >= 7.5, "the time before this process and since");
    double[] saved = s.params.clone();
    step(s, 1, 1.0, 4);
    assertArrayEquals(saved, c.params, "the snapshot does not follow the live state");

    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
        tmp.resolve("ckpt-000000003.safetensors").toUri());
    c.write(file, new Configuration());
    Safetensors raw = CheckpointFile.read(file, new Configuration());
    assertEquals(2, CheckpointFile.formatVersion(raw));
    Checkpoint back = Checkpoint.decode(raw, "x", 11,
        new OptimizerState(0, new double[][] {new double[11]}));
    RunState restored = new RunState(back);
    assertEquals(2, restored.step);
    assertEquals(3, restored.globalStep);
    assertArrayEquals(saved, restored.params);
    assertArrayEquals(c.epochStartParams, restored.epochStartParams);
    assertFalse(java.util.Arrays.equals(restored.params, restored.epochStartParams));
    assertEquals(c.epochSecondsBefore, restored.epochSecondsBefore, 0.0);
    assertEquals(c.optimizerState, restored.optimizerState);
    assertArrayEquals(c.bestParams, restored.bestParams);
    assertEquals(8, restored.epochRows);
  }

  @Test
  void aVersion1CheckpointReadsWithItsWeightsAsTheEpochStart() throws IOException {
    byte[] bytes = Files.readAllBytes(VERSION_1);
    assertEquals(1, CheckpointFile.formatVersion(CheckpointFile.parse(bytes, "v1")));
    Checkpoint c = Checkpoint.parse(bytes, "v1", 67, 1);
    assertEquals(2, c.epoch);
    assertEquals(4, c.step);
    assertEquals(20, c.globalStep);
    assertEquals(2, c.history.size());
    assertEquals(2, c.bestEpoch);
    assertArrayEquals(c.params, c.epochStartParams, "version 1 did not record the start");
    assertEquals(0.0, c.epochSecondsBefore);
  }

  /** A version-2 file with {@code meta} changed and {@code tensors} (null: as written). */
  private static byte[] version2(Checkpoint c, Map<String, String> metaChanges,
      List<Safetensors.Tensor> tensors, Path tmp) throws IOException {
    Path p = tmp.resolve("base.safetensors");
    c.write(new org.apache.hadoop.fs.Path(p.toUri()), new Configuration());
    Safetensors f = CheckpointFile.parse(Files.readAllBytes(p), "base");
    Map<String, String> meta = new LinkedHashMap<>(f.metadata());
    for (String reserved : List.of("format", "format_version", "sha256")) {
      meta.remove(reserved);
    }
    meta.putAll(metaChanges);
    return CheckpointFile.toSafetensors(meta,
        tensors != null ? tensors : new ArrayList<>(f.tensors().values())).toBytes();
  }

  @Test
  void eachVersionHoldsWhatItShould() throws IOException {
    RunState s = started(6);
    step(s, 1, 1.0, 2);
    Checkpoint mid = new Checkpoint(s, Map.of());
    List<Safetensors.Tensor> withoutStart = new ArrayList<>(
        CheckpointFile.parse(version2(mid, Map.of(), null, tmp), "x").tensors().values());
    withoutStart.removeIf(t -> t.name().equals("epoch_start_params"));
    IOException e = assertThrows(IOException.class,
        () -> Checkpoint.parse(version2(mid, Map.of(), withoutStart, tmp), "f", 6, 1));
    assertTrue(e.getMessage().contains("f: has no tensor 'epoch_start_params'"), e.getMessage());

    List<Safetensors.Tensor> atStepZero = new ArrayList<>(
        CheckpointFile.parse(version2(mid, Map.of(), null, tmp), "x").tensors().values());
    e = assertThrows(IOException.class, () -> Checkpoint.parse(
        version2(mid, Map.of("step", "0"), atStepZero, tmp), "f", 6, 1));
    assertTrue(e.getMessage().contains("expected params, 1 optimizer buffer(s), history, "
        + "epoch_start_params inside an epoch and optionally best_params"), e.getMessage());

    e = assertThrows(IOException.class, () -> Checkpoint.parse(
        version2(mid, Map.of("epoch_seconds", "-1.0"), null, tmp), "f", 6, 1));
    assertTrue(e.getMessage().contains("metadata epoch_seconds='-1.0' is not a duration"),
        e.getMessage());

    Map<String, String> future = new LinkedHashMap<>(
        CheckpointFile.parse(version2(mid, Map.of(), null, tmp), "x").metadata());
    future.put("format_version", "3");
    byte[] newer = new Safetensors(future, List.of(new Safetensors.Tensor("params",
        Dtype.FLOAT64, new long[] {1}, new double[1]))).toBytes();
    e = assertThrows(IOException.class, () -> Checkpoint.parse(newer, "f", 6, 1));
    assertTrue(e.getMessage().contains("f: format_version 3 is newer than this build reads (2)"),
        e.getMessage());
  }
}
