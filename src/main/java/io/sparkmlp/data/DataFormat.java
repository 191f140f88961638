package io.sparkmlp.data;

import io.sparkmlp.nn.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The on-disk formats the loader reads. */
public enum DataFormat implements Named {
  /** {@code label idx:value ...} with 1-based, strictly increasing indices (zeros omitted). */
  LIBSVM,
  /** Comma-separated with a header row naming the columns. */
  CSV,
  /** Parquet: a {@code features} vector column, or numeric columns. */
  PARQUET;

  /** The format named {@code name} (see {@link Named#parse}). */
  public static DataFormat parse(String name) {
    return Named.parse(DataFormat.class, "data format", name);
  }

  /**
   * Infers the format from a path's name: {@code .libsvm}, {@code .svm}, {@code .txt} (optionally
   * {@code .gz}) are LibSVM, {@code .csv}/{@code .csv.gz} CSV, {@code .parquet} Parquet. A
   * directory (or a glob without a telling extension) is inferred from the names of the files it
   * holds when they all agree, e.g. a directory of {@code part-*.parquet} files is Parquet. Uses a
   * default Hadoop configuration for directories; see {@link #infer(String, Configuration)}.
   *
   * @throws IllegalArgumentException when the name does not tell, saying to pass --format
   */
  public static DataFormat infer(String path) {
    return infer(path, new Configuration());
  }

  /** {@link #infer(String)} with the Hadoop configuration used to look into directories. */
  public static DataFormat infer(String path, Configuration conf) {
    DataFormat byName = fromName(path);
    if (byName != null) {
      return byName;
    }
    DataFormat fromFiles = null;
    try {
      List<Path> files = new ArrayList<>();
      for (InputFiles.Entry e : InputFiles.listOrEmpty(path, conf)) {
        files.add(e.path());
      }
      for (Path f : files) {
        DataFormat d = fromName(f.getName());
        if (d == null) {
          if (f.getName().endsWith(".crc")) {
            continue;
          }
          fromFiles = null;
          break;
        }
        if (fromFiles != null && fromFiles != d) {
          fromFiles = null;
          break;
        }
        fromFiles = d;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
    }
    if (fromFiles != null) {
      return fromFiles;
    }
    throw new IllegalArgumentException(
        "cannot infer the data format of '" + path + "' from its name (expected .libsvm, .svm,"
            + " .txt, .csv (each optionally .gz) or .parquet); pass --format libsvm|csv|parquet");
  }

  /** The format a file name implies, or null. */
  static DataFormat fromName(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    } else if (name.endsWith(".parquet")) {
      return PARQUET;
    }
    if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".txt")) {
      return LIBSVM;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    return null;
  }
}
