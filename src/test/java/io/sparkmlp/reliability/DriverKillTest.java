package io.sparkmlp.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.Main;
import io.sparkmlp.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver dies: {@code train} runs in a separate JVM ({@code io.sparkmlp.cli.Main}, local[2])
 * and is killed with SIGKILL as soon as its first checkpoint is on disk; {@code --resume} in
 * another JVM (this one) finishes the run, and its model file is byte-identical to an
 * uninterrupted run's.
 */
class DriverKillTest {
  @TempDir Path tmp;

  private static List<String> job(Path out) {
    return new ArrayList<>(List.of("train", "--data", "data-samples/digits.csv",
        "--validation-fraction", "0.2", "--standardize", "true", "--hidden", "32",
        "--batch-size", "64", "--epochs", "2", "--lr", "0.003", "--partitions", "2",
        "--seed", "9", "--quiet", "true", "--out", out.toString()));
  }

  private static int runHere(List<String> args) {
    SparkTestSession.get();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return status;
  }

  /** The JVM flags of conf/jvm.properties, as submit.sh and Surefire use them. */
  private static List<String> jvmFlags() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(Paths.get("conf/jvm.properties"))) {
      p.load(in);
    }
    List<String> flags = new ArrayList<>();
    for (String key : List.of("jvm.opens", "jvm.modules")) {
      flags.addAll(Arrays.asList(p.getProperty(key).trim().split("\\s+")));
    }
    return flags;
  }

  @Test
  void killedDriverResumesToTheSameModelBytes() throws Exception {
    Path whole = tmp.resolve("whole");
    runHere(job(whole));

    Path crashed = tmp.resolve("crashed");
    Path ckpt = tmp.resolve("ckpt");
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags());
    command.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.ui.enabled=false", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(job(crashed));
    command.addAll(List.of("--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "5"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("driver.log").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process driver = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (checkpoints(ckpt).isEmpty() && driver.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(driver.isAlive(), "the driver must still be training when killed; log:\n"
          + Files.readString(tmp.resolve("driver.log")));
      assertFalse(checkpoints(ckpt).isEmpty(), "a checkpoint within 120 s");
      driver.destroyForcibly();
      assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, driver.exitValue(), "killed by SIGKILL");
    } finally {
      driver.destroyForcibly();
    }
    assertFalse(Files.exists(crashed.resolve("model.safetensors")), "no model from the dead run");

    List<String> resume = job(crashed);
    resume.addAll(List.of("--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "5",
        "--resume", "true"));
    runHere(resume);
    assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
        Files.readAllBytes(crashed.resolve("model.safetensors")),
        "the resumed model file is byte-identical");
    assertEquals(Files.readAllLines(whole.resolve("metrics.jsonl")).size(),
        Files.readAllLines(crashed.resolve("metrics.jsonl")).size(),
        "metrics.jsonl holds every epoch, before and after the kill");
  }

  private static List<Path> checkpoints(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList();
    }
  }
}
