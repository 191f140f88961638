package io.sparkmlp.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads and checks the header row of every CSV input file on the driver (every file must carry
 * the same header) and maps its columns to label and feature slots: the label columns by name;
 * the features by name when the spec lists them (a model's training columns, in its order),
 * else every other column in header order.
 *
 * <p>The header is split as RFC 4180 says: a field in double quotes may hold commas and
 * doubled quotes ({@code "a, ""b"""} is the name {@code a, "b"}). Every column must have its own
 * name: the features are matched by it.
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
        throw DataFormatException.ofFile("cannot read the header: " + e.getMessage()
            + " (truncated or corrupt file?)", f.path().toString());
      }
      if (line == null) {
        continue; // an empty file: no header, no rows
      }
      String[] cols = split(line, f.path().toString());
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
    Map<String, Integer> index = index(header, headerFile, headerLine);
    int[] labelSlot = new int[header.length];
    int[] featureSlot = new int[header.length];
    Arrays.fill(labelSlot, -1);
    List<String> labels = spec.labelCols();
    boolean[] isLabel = new boolean[header.length];
    for (int k = 0; k < labels.size(); k++) {
      Integer at = index.get(labels.get(k));
      if (at == null) {
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
    int width = spec.featureNames() == null
        ? inHeaderOrder(isLabel, featureSlot)
        : byName(header, isLabel, featureSlot, spec.featureNames(), headerFile, headerLine);
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

  /** Every column that is not a label is the next feature; returns the feature count. */
  private static int inHeaderOrder(boolean[] isLabel, int[] featureSlot) {
    int width = 0;
    for (int c = 0; c < isLabel.length; c++) {
      featureSlot[c] = isLabel[c] ? -1 : width++;
    }
    return width;
  }

  /**
   * Column c fills the slot of its name in {@code names}; a name missing from the header, or a
   * column that is neither a label nor one of the names, is an error naming it.
   */
  private static int byName(String[] header, boolean[] isLabel, int[] featureSlot,
      List<String> names, String file, String line) {
    List<String> extra = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (int c = 0; c < header.length; c++) {
      featureSlot[c] = isLabel[c] ? -1 : names.indexOf(header[c]);
      if (!isLabel[c] && featureSlot[c] < 0) {
        extra.add(header[c]);
      } else if (!isLabel[c]) {
        found.add(header[c]);
      }
    }
    List<String> missing = new ArrayList<>(names);
    missing.removeAll(found);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      String what = missing.isEmpty() ? "" : "the CSV header lacks the model's feature column"
          + (missing.size() > 1 ? "s " : " ") + quoted(missing);
      if (!extra.isEmpty()) {
        what += (what.isEmpty() ? "the CSV header has column" : "; it has column")
            + (extra.size() > 1 ? "s " : " ") + quoted(extra) + " that the model does not know";
      }
      throw DataFormatException.atLine(what + " (features are matched by name; the model's: "
          + String.join(",", names) + ")", file, 1, "column '"
          + (missing.isEmpty() ? extra : missing).get(0) + "'", line);
    }
    return names.size();
  }

  private static String quoted(List<String> names) {
    return "'" + String.join("', '", names) + "'";
  }

  /** Column index by name; a name given twice is an error naming both columns (1-based). */
  private static Map<String, Integer> index(String[] header, String file, String line) {
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < header.length; c++) {
      Integer before = index.putIfAbsent(header[c], c);
      if (before != null) {
        throw DataFormatException.atLine("the CSV header names column '" + header[c]
            + "' twice (columns " + (before + 1) + " and " + (c + 1) + ")", file, 1,
            "column '" + header[c] + "'", line);
      }
    }
    return index;
  }

  /**
   * Splits a header line into column names as RFC 4180 does: fields are separated by commas,
   * a field in double quotes may hold commas and doubled quotes; blanks around a field (outside
   * its quotes) are dropped.
   */
  static String[] split(String line, String file) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ' || i < n && line.charAt(i) == '\t') {
        i++;
      }
      StringBuilder field = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        int start = i++;
        while (true) {
          if (i >= n) {
            throw DataFormatException.atLine("unterminated quote in the CSV header (the field "
                + "starting at character " + (start + 1) + ")", file, 1, null, line);
          }
          char c = line.charAt(i++);
          if (c == '"' && i < n && line.charAt(i) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            break;
          } else {
            field.append(c);
          }
        }
        while (i < n && line.charAt(i) != ',') {
          if (!Character.isWhitespace(line.charAt(i))) {
            throw DataFormatException.atLine("text after the closing quote of a CSV header field",
                file, 1, "column '" + field + "'", line);
          }
          i++;
        }
      } else {
        int start = i;
        while (i < n && line.charAt(i) != ',') {
          i++;
        }
        field.append(line.substring(start, i).strip());
      }
      out.add(field.toString());
      if (i >= n) {
        return out.toArray(new String[0]);
      }
      i++; // the comma
    }
  }
}
