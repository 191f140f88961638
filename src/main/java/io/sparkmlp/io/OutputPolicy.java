package io.sparkmlp.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for what a command (train, predict, evaluate, bench) may write, applied when
 * the command declares its outputs, before it reads any data.
 *
 * <p>An existing output path is
 * <ul>
 *   <li>this command's own earlier output: replaced, and the log says so. A directory is the
 *       command's own when it holds the hidden marker {@value #MARKER} with the command's stamp
 *       ({@code spark-mlp COMMAND}) and nothing but entries the command writes; a file when
 *       its first {@value #STAMP_WINDOW} bytes hold the stamp (a JSON field, a PNG text chunk,
 *       a Markdown title);
 *   <li>anything else: refused with a message naming it and what it holds, unless the user
 *       passed {@code --overwrite}. An empty directory where a directory goes holds nothing to
 *       lose and is used as it is.
 * </ul>
 * Whatever the flag: an output that would replace one of the command's inputs (or a directory
 * holding one) is refused, so is an output inside a data directory (it would be read as data
 * the next time), and only {@code train} replaces a model ({@value ModelFile#FILE_NAME} or a
 * directory holding one).
 *
 * <p>Each output's place is probed when declared (a hidden file created and deleted in the
 * directory that will hold it), so a path that cannot be written (under a regular file, on a
 * read-only or pseudo file system) fails before any work. Writes stay atomic: a file goes to a
 * temporary name and is renamed; a directory that Spark writes is staged beside its target and
 * renamed into place ({@link AtomicFiles#replaceDirectory}); a directory filled file by file
 * (train) gets each file atomically.
 */
public final class OutputPolicy {
  /** Hidden file in a directory output: the stamp of the command that wrote it. */
  public static final String MARKER = ".spark-mlp-output";
  /** Bytes at the start of a file output in which its stamp must appear. */
  public static final int STAMP_WINDOW = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(OutputPolicy.class);
  private static final int LISTED = 5;

  private final Configuration conf;
  private final String command;
  private final boolean overwrite;
  private final List<Input> inputs = new ArrayList<>();

  /** A path the command reads; {@code scanned}: a directory read as all the files under it. */
  private record Input(String option, Path path, boolean scanned) {}

  /**
   * @param command the command's name, as in its stamp
   * @param overwrite whether the user allowed replacing outputs the command did not write
   */
  public OutputPolicy(Configuration conf, String command, boolean overwrite) {
    this.conf = conf;
    this.command = command;
    this.overwrite = overwrite;
  }

  /** {@code spark-mlp COMMAND}: what marks an output as this command's own. */
  public String stamp() {
    return "spark-mlp " + command;
  }

  /**
   * Declares an input that no output may replace. With {@code scanned} (data read as every
   * file under a directory) no output may lie inside it either. A path that does not exist as
   * written is taken as a glob: what it matches is protected, or, matching nothing, the path
   * itself (a directory still to be created). Declare inputs before outputs.
   */
  public OutputPolicy input(String option, String path, boolean scanned) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus st = status(fs, p);
    FileStatus[] read = st != null ? new FileStatus[] {st} : fs.globStatus(p);
    if (read == null || read.length == 0) {
      inputs.add(new Input(option, fs.makeQualified(p), false));
    }
    for (FileStatus f : read == null ? new FileStatus[0] : read) {
      inputs.add(new Input(option, fs.makeQualified(f.getPath()), scanned && f.isDirectory()));
    }
    return this;
  }

  /** A file output: written whole, atomically, its content carrying {@link #stamp()}. */
  public Output file(String option, String path) throws IOException {
    return declare(option, path, false, false, name -> false);
  }

  /**
   * A directory filled file by file (train): its own entries are those {@code ownEntry}
   * accepts; an earlier output is replaced entry by entry ({@link Output#begin}).
   */
  public Output directory(String option, String path, Predicate<String> ownEntry)
      throws IOException {
    return declare(option, path, true, true, ownEntry);
  }

  /**
   * A directory written in one go by Spark (predict): staged beside its target and renamed
   * into place ({@link Output#staging}, {@link Output#install}).
   */
  public Output stagedDirectory(String option, String path, Predicate<String> ownEntry)
      throws IOException {
    return declare(option, path, true, false, ownEntry);
  }

  /**
   * Checks that {@code path} is, or can be created as, a directory that can be written; for
   * directories whose content a component manages itself (checkpoints).
   */
  public void writableDirectory(String option, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus st = status(fs, p);
    if (st != null && !st.isDirectory()) {
      throw new IOException(option + " " + path + " is a file, not a directory");
    }
    probe(fs, option, path, st != null ? p : existingAncestor(fs, option, path, p));
  }

  private Output declare(String option, String text, boolean directory, boolean inPlace,
      Predicate<String> ownEntry) throws IOException {
    Path given = new Path(text);
    FileSystem fs = given.getFileSystem(conf);
    Path path = fs.makeQualified(given);
    for (Input in : inputs) {
      if (in.scanned && under(path, in.path) && !path.equals(in.path)) {
        throw new IOException(option + " " + text + " is inside " + in.option + " " + in.path
            + ": its files would be read as data the next time");
      }
    }
    FileStatus st = status(fs, path);
    if (st == null) {
      probe(fs, option, text, existingAncestor(fs, option, text, path));
      return new Output(option, text, path, fs, ownEntry, null, false, null);
    }
    List<FileStatus> entries = st.isDirectory() ? Arrays.asList(fs.listStatus(path)) : List.of();
    refuseModel(option, text, st, entries);
    boolean own = directory ? ownDirectory(fs, st, entries, ownEntry)
        : st.isFile() && stamped(fs, st.getPath());
    boolean empty = directory && st.isDirectory() && entries.isEmpty();
    String holds = own || empty ? null : holds(st, entries);
    if (holds != null && !overwrite) {
      throw new IOException(option + " " + text + " exists and is " + holds + ", which "
          + command + " did not write; pass --overwrite to replace it, or choose another path");
    }
    if (holds != null || !inPlace) {
      for (Input in : inputs) {
        if (under(in.path, path)) {
          throw new IOException(option + " " + text + " would replace " + in.option + " "
              + in.path + ", which " + command + " reads; choose another path");
        }
      }
    }
    probe(fs, option, text, inPlace && st.isDirectory() ? path : path.getParent());
    return new Output(option, text, path, fs, ownEntry, st, own, holds);
  }

  /** Only train replaces a model file or a directory holding one, with or without the flag. */
  private void refuseModel(String option, String text, FileStatus st, List<FileStatus> entries)
      throws IOException {
    if (command.equals("train")) {
      return;
    }
    boolean modelDir = entries.stream()
        .anyMatch(e -> e.getPath().getName().equals(ModelFile.FILE_NAME));
    if (modelDir || st.getPath().getName().equals(ModelFile.FILE_NAME)) {
      throw new IOException(option + " " + text + " is a model" + (modelDir
          ? " directory (it holds " + ModelFile.FILE_NAME + ")" : " file") + ": " + command
          + " never replaces a model, even with --overwrite; choose another path");
    }
  }

  /** The marker names this command and every other entry is one the command writes. */
  private boolean ownDirectory(FileSystem fs, FileStatus st, List<FileStatus> entries,
      Predicate<String> ownEntry) throws IOException {
    if (!st.isDirectory()) {
      return false;
    }
    boolean marked = false;
    for (FileStatus e : entries) {
      String name = e.getPath().getName();
      if (name.equals(MARKER)) {
        marked = e.isFile() && stamped(fs, e.getPath());
      } else if (!(ownEntry.test(name) || isScratch(name))) {
        return false;
      }
    }
    return marked;
  }

  /** Hidden temporary and checksum files that writes through Hadoop leave beside outputs. */
  private static boolean isScratch(String name) {
    return name.startsWith(".") && (name.contains(".tmp-") || name.endsWith(".crc"));
  }

  /** Whether the file's first {@value #STAMP_WINDOW} bytes hold {@link #stamp()}. */
  private boolean stamped(FileSystem fs, Path file) throws IOException {
    byte[] head;
    try (InputStream in = fs.open(file)) {
      head = in.readNBytes(STAMP_WINDOW);
    }
    return contains(head, stamp().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean contains(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= Math.min(data.length, STAMP_WINDOW); i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** "a file of 12 bytes", "a directory holding a.txt, photos/ and 3 more", "an empty …". */
  private static String holds(FileStatus st, List<FileStatus> entries) {
    if (!st.isDirectory()) {
      return "a file of " + st.getLen() + " bytes";
    }
    if (entries.isEmpty()) {
      return "an empty directory";
    }
    List<String> names = entries.stream()
        .sorted(Comparator.comparing(e -> e.getPath().getName()))
        .map(e -> e.getPath().getName() + (e.isDirectory() ? "/" : "")).toList();
    String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
    return "a directory holding " + shown
        + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
  }

  /**
   * The nearest existing ancestor of {@code path}, which must be a directory: nothing can be
   * created under a regular file.
   */
  private static Path existingAncestor(FileSystem fs, String option, String text, Path path)
      throws IOException {
    Path p = path.getParent();
    FileStatus st = null;
    while (p != null && (st = status(fs, p)) == null) {
      p = p.getParent();
    }
    if (st != null && !st.isDirectory()) {
      throw new IOException(option + " " + text + ": " + p + " is a file, so nothing can be "
          + "created under it");
    }
    return p;
  }

  /** Creates and deletes a hidden file in {@code dir}: the cheapest proof that it is writable. */
  private static void probe(FileSystem fs, String option, String text, Path dir)
      throws IOException {
    if (dir == null) {
      return;
    }
    Path probe = new Path(dir, ".spark-mlp-probe-" + UUID.randomUUID());
    try {
      fs.create(probe, false).close();
    } catch (IOException | RuntimeException e) {
      throw new IOException(option + " " + text + " cannot be written: creating a file in "
          + dir + " failed (" + e.getMessage() + ")", e);
    }
    fs.delete(probe, false);
  }

  private static FileStatus status(FileSystem fs, Path p) throws IOException {
    try {
      return fs.getFileStatus(p);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /** Whether {@code p} is {@code dir} or lies under it (both qualified). */
  private static boolean under(Path p, Path dir) {
    String d = dir.toString();
    String s = p.toString();
    return s.equals(d) || s.startsWith(d.endsWith("/") ? d : d + "/");
  }

  /** One declared output, checked; write it through the method that fits its kind. */
  public final class Output {
    private final String option;
    private final String text;
    private final Path path;
    private final FileSystem fs;
    private final Predicate<String> ownEntry;
    private final FileStatus existing;
    private final boolean own;
    /** What a foreign existing target holds (replaced under --overwrite), else null. */
    private final String holds;

    private Output(String option, String text, Path path, FileSystem fs,
        Predicate<String> ownEntry, FileStatus existing, boolean own, String holds) {
      this.option = option;
      this.text = text;
      this.path = path;
      this.fs = fs;
      this.ownEntry = ownEntry;
      this.existing = existing;
      this.own = own;
      this.holds = holds;
    }

    /** The output's qualified path. */
    public Path path() {
      return path;
    }

    /**
     * Makes a directory output ready to be filled file by file: under {@code --overwrite} a
     * foreign target is deleted; of this command's earlier output, the entries in
     * {@code keep} stay until the run writes new ones (so a failed run leaves them) and the
     * other own entries go (so none of them outlives the run that wrote it). Then writes the
     * marker. Call it once the inputs are read and checked.
     */
    public void begin(Set<String> keep) throws IOException {
      if (holds != null) {
        LOG.warn("{} {}: --overwrite deletes what it holds ({})", option, text, holds);
        fs.delete(path, true);
      } else if (own) {
        LOG.info("{} {} holds the output of an earlier {} run: replacing it ({} stay until this "
            + "run writes new ones)", option, text, command, keep);
        for (FileStatus e : fs.listStatus(path)) {
          String name = e.getPath().getName();
          if (ownEntry.test(name) && !keep.contains(name)) {
            fs.delete(e.getPath(), true);
          }
        }
      }
      fs.mkdirs(path);
      AtomicFiles.write(new Path(path, MARKER), conf, marker());
    }

    /** Writes a file output atomically; its first bytes must carry {@link #stamp()}. */
    public void write(byte[] bytes) throws IOException {
      if (!contains(bytes, stamp().getBytes(StandardCharsets.UTF_8))) {
        throw new IllegalStateException("output for " + option + " lacks the stamp '" + stamp()
            + "' in its first " + STAMP_WINDOW + " bytes: a re-run could not recognise it");
      }
      replacing();
      if (existing != null && existing.isDirectory()) {
        fs.delete(path, true);
      }
      AtomicFiles.write(path, conf, bytes);
    }

    /** A fresh hidden directory beside the target for Spark to write into. */
    public Path staging() {
      return new Path(path.getParent(), "." + path.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** Marks the complete {@code staged} directory and renames it into the target's place. */
    public void install(Path staged) throws IOException {
      AtomicFiles.write(new Path(staged, MARKER), conf, marker());
      replacing();
      AtomicFiles.replaceDirectory(staged, path, conf);
    }

    /** Removes a staged directory after a failed write. */
    public void discard(Path staged) throws IOException {
      fs.delete(staged, true);
    }

    private void replacing() {
      if (holds != null) {
        LOG.warn("{} {}: --overwrite replaces what it holds ({})", option, text, holds);
      } else if (own) {
        LOG.info("{} {}: replacing the output of an earlier {} run", option, text, command);
      }
    }

    private byte[] marker() {
      return (stamp() + "\nThis directory is replaced when spark-mlp " + command
          + " writes here again.\n").getBytes(StandardCharsets.UTF_8);
    }
  }
}
