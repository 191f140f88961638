package io.sparkmlp.train;

import io.sparkmlp.data.Dataset;
import io.sparkmlp.io.CheckpointFile;
import io.sparkmlp.io.Safetensors;
import io.sparkmlp.optim.OptimizerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a run's {@link RunState} as {@link Checkpoint} files in a directory on any Hadoop file
 * system, and restores the state to resume from.
 *
 * <p>Files are named by global step, {@code ckpt-000000123.safetensors}, and written atomically
 * (temporary name, then rename), so a crash mid-write leaves only a hidden temporary file; the
 * oldest complete checkpoints beyond {@code keep} are deleted only after the new one is
 * complete. Resuming takes the newest checkpoint that reads back with a valid checksum,
 * skipping (with a warning) any newer one that is truncated or corrupt.
 *
 * <p>Each checkpoint records the run's identity: {@link TrainConfig#describe()}, the data and
 * validation fingerprints, row counts, partitions, standardisation and the caller's data
 * options. Resuming with any of these changed is refused, naming every difference, because
 * the continued run would not be the run the checkpoint belongs to. Only {@code epochs} may
 * change (to train longer), except with the cosine schedule, whose learning rates depend on
 * the total step count, and settings that give the same model whatever their value
 * ({@code step-engine}: all engines give bit-identical steps). A setting added to
 * {@link Settings} after a checkpoint was written is missing from its identity; at its default
 * it is no difference, so older checkpoints keep resuming. Starting without resume in a
 * directory that already holds checkpoints is refused too, so two runs never mix their files.
 */
public final class Checkpointer {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{1,18})\\.safetensors");

  private final Path dir;
  private final Configuration conf;
  private final CheckpointEvery every;
  private final int keep;
  private final boolean resume;
  private final Map<String, String> dataOptions;
  private Map<String, String> run;

  /**
   * @param dataOptions options that shape the data but are not visible in the data sets
   *     (e.g. validation fraction, invalid-row policy, initial weights), recorded and compared
   *     like the configuration
   */
  public Checkpointer(Path dir, Configuration conf, CheckpointEvery every, int keep,
      boolean resume, Map<String, String> dataOptions) {
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
    }
    this.dir = dir;
    this.conf = conf;
    this.every = every;
    this.keep = keep;
    this.resume = resume;
    this.dataOptions = new LinkedHashMap<>(dataOptions);
  }

  /** The identity of a run: what must be unchanged for a checkpoint to continue it. */
  Map<String, String> identity(TrainConfig config, Dataset train, Dataset validation) {
    Map<String, String> m = new LinkedHashMap<>(config.describe());
    m.put("data-fingerprint", train.fingerprint());
    m.put("train-rows", Long.toString(train.numRows()));
    m.put("partitions", Integer.toString(train.numPartitions()));
    m.put("standardize", Boolean.toString(train.featureMean() != null));
    m.put("validation-fingerprint", validation == null ? "none" : validation.fingerprint());
    m.put("validation-rows", validation == null ? "0" : Long.toString(validation.numRows()));
    m.putAll(dataOptions);
    return m;
  }

  /**
   * Called once before the first step: records the run's identity and returns the state
   * restored from the newest good checkpoint, or null to start from scratch.
   *
   * @throws IllegalArgumentException if resuming would change the run, or if the directory
   *     already holds checkpoints and resume is off
   */
  RunState open(TrainConfig config, Dataset train, Dataset validation, int numParams,
      OptimizerState fresh) {
    run = identity(config, train, validation);
    List<Path> files = list();
    if (!resume) {
      if (!files.isEmpty()) {
        throw new IllegalArgumentException("checkpoint directory " + dir + " already holds "
            + files.get(0).getName() + "; pass --resume to continue that run, or use an empty "
            + "--checkpoint-dir");
      }
      return null;
    }
    for (Path p : files) {
      Safetensors file;
      Map<String, String> recorded;
      try {
        file = CheckpointFile.read(p, conf);
        recorded = Checkpoint.run(file, p.toString());
      } catch (IOException e) {
        LOG.warn("skipping checkpoint {}: {}", p, e.getMessage());
        continue;
      }
      refuseDifferences(p, recorded);
      Checkpoint c;
      try {
        c = Checkpoint.decode(file, p.toString(), numParams, fresh);
      } catch (IOException e) {
        LOG.warn("skipping checkpoint {}: {}", p, e.getMessage());
        continue;
      }
      if (c.epoch > config.epochs()) {
        throw new IllegalArgumentException("cannot resume from " + p + ": it has finished "
            + c.epoch + " epochs, more than --epochs " + config.epochs());
      }
      LOG.info("resuming from {}: epoch {}, step {} of it, global step {}", p, c.epoch + 1,
          c.step, c.globalStep);
      return new RunState(c);
    }
    if (!files.isEmpty()) {
      throw new IllegalArgumentException("none of the " + files.size() + " checkpoints in "
          + dir + " is readable (see the warnings above); move them away to start afresh");
    }
    LOG.warn("no checkpoint in {}; starting from scratch", dir);
    return null;
  }

  /** Refuses to continue a run whose identity differs from {@code recorded}, naming each key. */
  private void refuseDifferences(Path file, Map<String, String> recorded) {
    List<String> differences = new ArrayList<>();
    for (String key : union(run, recorded)) {
      String was = recorded.get(key);
      String now = run.get(key);
      if (!(was == null ? now == null : was.equals(now)) && !harmless(key, was, now)) {
        differences.add(key + " (checkpoint " + was + ", now " + now + ")");
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("cannot resume from " + file + ": the run differs in "
          + String.join("; ", differences) + ". Resume with the checkpoint's settings, or "
          + "start afresh in another --checkpoint-dir");
    }
  }

  /**
   * Whether {@code key} may differ between the checkpoint ({@code was}) and now: a setting
   * that gives the same model whatever its value (the step engine); more or fewer epochs,
   * except with the cosine schedule, whose rates depend on the total; or a setting the table
   * gained after the checkpoint was written ({@code was} null) that is now at its default,
   * which is what runs did before it existed.
   */
  private boolean harmless(String key, String was, String now) {
    Setting<?> setting = Settings.TRAINER.stream().filter(s -> s.name().equals(key)).findFirst()
        .orElse(null);
    if (setting == null) {
      return false;
    }
    if (!setting.changesResult()) {
      return true;
    }
    if (setting == Settings.EPOCHS) {
      return !"cosine".equals(run.get(Settings.LR_SCHEDULE.name()));
    }
    return was == null && now != null && now.equals(defaultText(setting));
  }

  private static <T> String defaultText(Setting<T> s) {
    return s.defaultValue() == null ? null : s.format(s.defaultValue());
  }

  private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  /** Whether to save after {@code globalStep}, a step that is not the last of its epoch. */
  boolean dueAfterStep(long globalStep) {
    return every.afterStep(globalStep);
  }

  /** Whether to save after epoch {@code epochsDone} (1-based), always after the last one. */
  boolean dueAfterEpoch(int epochsDone, long globalStep, int epochs) {
    return epochsDone == epochs || every.afterEpoch(epochsDone, globalStep);
  }

  /** Writes {@code state} (between two steps) as a checkpoint, then prunes old ones. */
  void save(RunState state) {
    Checkpoint c = new Checkpoint(state, run);
    Path path = new Path(dir, String.format(Locale.ROOT, "ckpt-%09d.safetensors",
        state.globalStep));
    try {
      c.write(path, conf);
      prune();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + path, e);
    }
    LOG.info("checkpoint {} written", path);
  }

  /** Deletes complete checkpoints beyond the newest {@code keep}, and stale temporary files. */
  private void prune() throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    List<Path> files = list();
    for (int i = keep; i < files.size(); i++) {
      fs.delete(files.get(i), false);
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith(".ckpt-") && name.contains(".tmp-")) {
        fs.delete(s.getPath(), false);
      }
    }
  }

  /** The checkpoint files in the directory, newest (highest global step) first. */
  public List<Path> list() {
    List<Path> files = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return files;
      }
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isFile() && NAME.matcher(s.getPath().getName()).matches()) {
          files.add(s.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoint directory " + dir, e);
    }
    files.sort(Comparator.comparingLong(Checkpointer::stepOf).reversed());
    return files;
  }

  private static long stepOf(Path p) {
    Matcher m = NAME.matcher(p.getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
