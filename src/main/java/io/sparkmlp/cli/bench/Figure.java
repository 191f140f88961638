package io.sparkmlp.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure of the benchmark: a table (column names, rows of formatted cells), one summary
 * line per measured case (the lines BENCHMARKS.md quotes) and notes on how it was measured.
 */
final class Figure {
  final int id;
  final String title;
  final List<String> columns;
  final List<List<String>> rows = new ArrayList<>();
  final List<String> summary = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  Figure(int id, String title, String... columns) {
    this.id = id;
    this.title = title;
    this.columns = List.of(columns);
  }

  Figure row(String... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException("figure " + id + ": " + cells.length + " cells for "
          + columns.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  Figure summary(String line) {
    summary.add("figure " + id + ": " + line);
    return this;
  }

  Figure note(String line) {
    notes.add(line);
    return this;
  }

  /** The table as aligned plain text. */
  String text() {
    int[] width = new int[columns.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = columns.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("== figure ").append(id).append(": ").append(title).append(" ==\n");
    line(sb, columns, width);
    for (List<String> r : rows) {
      line(sb, r, width);
    }
    notes.forEach(n -> sb.append("  note: ").append(n).append('\n'));
    summary.forEach(s -> sb.append(s).append('\n'));
    return sb.toString();
  }

  /** The figure as a Markdown section. */
  String markdown() {
    StringBuilder sb = new StringBuilder("## Figure " + id + ": " + title + "\n\n");
    sb.append("| ").append(String.join(" | ", columns)).append(" |\n|");
    columns.forEach(c -> sb.append(" --- |"));
    sb.append('\n');
    rows.forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
    sb.append('\n');
    notes.forEach(n -> sb.append("- ").append(n).append('\n'));
    summary.forEach(s -> sb.append("\n    ").append(s));
    return sb.append("\n\n").toString();
  }

  /** The figure as plain maps and lists, for JSON. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("figure", id);
    m.put("title", title);
    m.put("columns", columns);
    m.put("rows", rows);
    m.put("notes", notes);
    m.put("summary", summary);
    return m;
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      l.append("  ").append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length()));
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}
