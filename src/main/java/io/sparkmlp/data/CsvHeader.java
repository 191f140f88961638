package io.sparkmlp.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads and checks the header row of every CSV input file on the driver (every file must carry
 * the same header) and maps its columns to label and feature slots: the label columns by name,
 * every other column a feature, in header order.
 */
final class CsvHeader {
  private CsvHeader() {}

  /**
   * @param readLabels whether the label columns are read (false for predict input, where they
   *     may be absent; present ones are then ignored, not taken as features)
   * @param expectedFeatures the feature count the columns must give, or 0
   */
  static ParseConfig config(List<InputFiles.Entry> files, Configuration conf, DataSpec spec,
      Task task, boolean readLabels, int expectedFeatures, double[] knownClasses) {
    String[] header = null;
    String headerLine = null;
    String headerFile = null;
    for (InputFiles.Entry f : files) {
      String line;
      try {
        line = InputFiles.firstLine(f.path(), conf);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f.path() + ": " + e.getMessage(), e);
      }
      if (line == null) {
        continue; // an empty file: no header, no rows
      }
      String[] cols = split(line);
      if (header == null) {
        header = cols;
        headerLine = line;
        headerFile = f.path().toString();
      } else if (!Arrays.equals(header, cols)) {
        throw DataFormatException.atLine("CSV header differs from the header of " + headerFile
            + " (" + headerLine + ")", f.path().toString(), 1, null, line);
      }
    }
    if (header == null) {
      throw DataFormatException.ofFile("empty data set: the CSV files have no header and no rows",
          spec.path());
    }
    int[] labelSlot = new int[header.length];
    int[] featureSlot = new int[header.length];
    Arrays.fill(labelSlot, -1);
    List<String> labels = spec.labelCols();
    boolean[] isLabel = new boolean[header.length];
    for (int k = 0; k < labels.size(); k++) {
      int at = indexOf(header, labels.get(k));
      if (at < 0) {
        if (readLabels) {
          throw DataFormatException.atLine("label column '" + labels.get(k)
              + "' not found in the CSV header (columns: " + String.join(",", header) + ")",
              headerFile, 1, "column '" + labels.get(k) + "'", headerLine);
        }
        continue;
      }
      isLabel[at] = true;
      if (readLabels) {
        labelSlot[at] = k;
      }
    }
    int width = 0;
    for (int c = 0; c < header.length; c++) {
      featureSlot[c] = isLabel[c] ? -1 : width++;
    }
    if (width == 0) {
      throw DataFormatException.atLine("the CSV header has no feature columns", headerFile, 1, null,
          headerLine);
    }
    if (expectedFeatures > 0 && width != expectedFeatures) {
      throw DataFormatException.atLine("the CSV header has " + width + " feature columns, expected "
          + expectedFeatures, headerFile, 1, null, headerLine);
    }
    return new ParseConfig(DataFormat.CSV, task, spec.onInvalid(),
        readLabels ? labels.size() : 0, readLabels, 0, knownClasses, header, labelSlot,
        featureSlot, width, -1);
  }

  private static int indexOf(String[] header, String name) {
    int at = -1;
    for (int c = 0; c < header.length; c++) {
      if (header[c].equals(name)) {
        if (at >= 0) {
          throw new IllegalArgumentException("the CSV header names column '" + name + "' twice");
        }
        at = c;
      }
    }
    return at;
  }

  /** Splits a header line at commas, trimming blanks and surrounding double quotes. */
  static String[] split(String line) {
    List<String> out = new ArrayList<>();
    for (String s : line.split(",", -1)) {
      String t = s.strip();
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1);
      }
      out.add(t);
    }
    return out.toArray(new String[0]);
  }
}
