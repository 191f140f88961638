package io.sparkmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The output policy on the local file system and on a real HDFS ({@link MiniDFSCluster}):
 * what is replaced, what is refused, what survives a replacement.
 */
class OutputPolicyTest {
  private static final Configuration CONF = new Configuration();
  private static final Predicate<String> PARTS = n -> n.startsWith("part-") || n.equals("_SUCCESS");
  private static final Predicate<String> TRAIN =
      Set.of("model.safetensors", "metrics.jsonl", "steps.jsonl")::contains;
  private static java.nio.file.Path local;
  private static MiniDFSCluster dfs;

  @BeforeAll
  static void start() throws IOException {
    local = java.nio.file.Files.createTempDirectory("output-policy");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("dfs").toString());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
  }

  @AfterAll
  static void stop() {
    dfs.shutdown();
  }

  static Stream<String> roots() {
    return Stream.of(local.resolve("fs").toUri().toString().replaceAll("/$", ""),
        "hdfs://127.0.0.1:" + dfs.getNameNodePort() + "/t");
  }

  /** A fresh directory name under {@code root}. */
  private static String fresh(String root) {
    return root + "/" + UUID.randomUUID();
  }

  private static void put(String path, String content) throws IOException {
    Path p = new Path(path);
    try (OutputStream out = p.getFileSystem(CONF).create(p, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> names(String dir) throws IOException {
    Path p = new Path(dir);
    return Arrays.stream(p.getFileSystem(CONF).listStatus(p)).map(FileStatus::getPath)
        .map(Path::getName).sorted().toList();
  }

  private static OutputPolicy policy(String command, boolean overwrite) {
    return new OutputPolicy(CONF, command, overwrite);
  }

  private static String refused(ThrowingRunnable r) {
    return assertThrows(IOException.class, r::run).getMessage();
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  @ParameterizedTest
  @MethodSource("roots")
  void aFileIsReplacedWhenItCarriesTheStampElseOnlyWithOverwrite(String root)
      throws IOException {
    String file = fresh(root) + "/m.json";
    byte[] json = "{\"created_by\": \"spark-mlp evaluate\", \"rows\": 3}".getBytes(
        StandardCharsets.UTF_8);
    policy("evaluate", false).file("--out", file).write(json);
    policy("evaluate", false).file("--out", file).write(json);
    assertArrayEquals(json, AtomicFiles.readAll(new Path(file), CONF, 1000));
    assertThrows(IllegalStateException.class,
        () -> policy("evaluate", false).file("--out", file).write("{}".getBytes()),
        "output without the stamp could never be recognised again");

    put(file, "{\"mine\": 1}");
    String message = refused(() -> policy("evaluate", false).file("--out", file));
    assertTrue(message.equals("--out " + file + " exists and is a file of 11 bytes, which "
        + "evaluate did not write; pass --overwrite to replace it, or choose another path"),
        message);
    message = refused(() -> policy("bench", false).file("--out", file));
    assertTrue(message.contains("which bench did not write"), "another command's stamp");
    policy("evaluate", true).file("--out", file).write(json);
    assertArrayEquals(json, AtomicFiles.readAll(new Path(file), CONF, 1000));
  }

  @ParameterizedTest
  @MethodSource("roots")
  void aStagedDirectoryIsRenamedIntoPlaceAndReplacesOnlyItsOwn(String root) throws IOException {
    String parent = fresh(root);
    String out = parent + "/pred";
    for (String part : List.of("part-0", "part-1")) {
      OutputPolicy.Output o = policy("predict", false).stagedDirectory("--out", out, PARTS);
      Path staged = o.staging();
      put(staged + "/" + part, part);
      put(staged + "/_SUCCESS", "");
      o.install(staged);
      assertEquals(List.of(OutputPolicy.MARKER, "_SUCCESS", part), names(out));
      assertEquals(List.of("pred"), names(parent), "no staged or old directory is left");
    }
    put(out + "/notes.txt", "mine");
    String message = refused(() -> policy("predict", false).stagedDirectory("--out", out, PARTS));
    assertTrue(message.contains("a directory holding .spark-mlp-output, _SUCCESS, notes.txt, "
        + "part-1") && message.contains("--overwrite"), message);

    String empty = parent + "/empty";
    new Path(empty).getFileSystem(CONF).mkdirs(new Path(empty));
    OutputPolicy.Output o = policy("predict", false).stagedDirectory("--out", empty, PARTS);
    Path staged = o.staging();
    put(staged + "/part-0", "x");
    o.install(staged);
    assertEquals(List.of(OutputPolicy.MARKER, "part-0"), names(empty), "an empty directory");
  }

  @ParameterizedTest
  @MethodSource("roots")
  void aDirectoryFilledInPlaceKeepsWhatMustOutliveAFailedRun(String root) throws IOException {
    String out = fresh(root) + "/m";
    policy("train", false).directory("--out", out, TRAIN).begin(Set.of("model.safetensors"));
    for (String f : List.of("model.safetensors", "metrics.jsonl", "steps.jsonl")) {
      put(out + "/" + f, f);
    }
    policy("train", false).directory("--out", out, TRAIN).begin(Set.of("model.safetensors"));
    assertEquals(List.of(OutputPolicy.MARKER, "model.safetensors"), names(out),
        "the model stays until replaced; the earlier run's other files go");

    put(out + "/thesis.tex", "mine");
    String message = refused(() -> policy("train", false).directory("--out", out, TRAIN));
    assertTrue(message.contains("thesis.tex") && message.contains("which train did not write"),
        message);
    policy("train", true).directory("--out", out, TRAIN).begin(Set.of("model.safetensors"));
    assertEquals(List.of(OutputPolicy.MARKER), names(out), "--overwrite deleted it");
  }

  @ParameterizedTest
  @MethodSource("roots")
  void inputsAndModelsAreNeverReplaced(String root) throws IOException {
    String base = fresh(root);
    String data = base + "/data";
    put(data + "/a.csv", "label,x\n1,2\n");
    put(base + "/m/model.safetensors", "weights");
    OutputPolicy predict = policy("predict", true).input("--data", data, true)
        .input("--model", base + "/m", false);
    assertTrue(refused(() -> predict.stagedDirectory("--out", data, PARTS))
        .contains("would replace --data"));
    assertTrue(refused(() -> predict.stagedDirectory("--out", data + "/p", PARTS))
        .contains("is inside --data"));
    assertTrue(refused(() -> predict.stagedDirectory("--out", base + "/m", PARTS))
        .contains("predict never replaces a model, even with --overwrite"));
    assertTrue(refused(() -> predict.file("--out", base + "/m/model.safetensors"))
        .contains("is a model file"));
    assertTrue(refused(() -> policy("evaluate", true).input("--data", base + "/*/a.csv", true)
        .file("--out", base)).contains("would replace --data"), "a glob protects its matches");
    assertTrue(refused(() -> policy("train", true).input("--checkpoint-dir", base + "/ck", false)
        .directory("--out", base, TRAIN)).contains("would replace --checkpoint-dir"));
    assertEquals(List.of("a.csv"), names(data));
  }

  @ParameterizedTest
  @MethodSource("roots")
  void pathsUnderAFileFailWhenDeclared(String root) throws IOException {
    String file = fresh(root) + "/a-file";
    put(file, "x");
    assertTrue(refused(() -> policy("predict", false).stagedDirectory("--out", file + "/p/q",
        PARTS)).endsWith("a-file is a file, so nothing can be created under it"));
    assertTrue(refused(() -> policy("train", false).writableDirectory("--checkpoint-dir", file))
        .endsWith("is a file, not a directory"));
    assertTrue(refused(() -> policy("train", false).writableDirectory("--checkpoint-dir",
        file + "/ck")).contains("nothing can be created under it"));
  }
}
