package io.sparkmlp.cli.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A small HTML page builder for the report. Every element is closed and void elements are
 * self-closed, so the page is also well-formed XML (checkable with any XML parser); all text is
 * escaped, and images are embedded as {@code data:} URIs so the one file opens offline.
 */
final class HtmlPage {
  private static final String STYLE = String.join("\n",
      "body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 960px;"
          + " color: #222; padding: 0 1em; }",
      "h1 { margin-bottom: 0.2em; }",
      "h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }",
      "table { border-collapse: collapse; margin: 0.5em 0; }",
      "th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }",
      "th { background: #f4f6f8; }",
      "table.facts th, table.facts td { text-align: left; }",
      "figure { margin: 1em 0; }",
      "figure img { max-width: 100%; height: auto; border: 1px solid #eee; }",
      "pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }",
      ".muted { color: #777; }");

  private final String title;
  private final StringBuilder body = new StringBuilder();

  HtmlPage(String title) {
    this.title = title;
  }

  HtmlPage heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  HtmlPage paragraph(String text, boolean muted) {
    body.append(muted ? "<p class=\"muted\">" : "<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A two-column table of name and value. */
  HtmlPage facts(List<String[]> rows) {
    body.append("<table class=\"facts\">\n");
    for (String[] row : rows) {
      body.append("<tr><th>").append(escape(row[0])).append("</th><td>").append(escape(row[1]))
          .append("</td></tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  HtmlPage table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      row.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** The PNG embedded as a data URI, linking to its copy {@code file} beside the page. */
  HtmlPage figure(String caption, String file, byte[] png) {
    body.append("<figure><a href=\"").append(escape(file)).append("\"><img src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\" alt=\"").append(escape(caption))
        .append("\"/></a><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
    return this;
  }

  HtmlPage preformatted(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /** Links to files beside the page, by their names. */
  HtmlPage links(List<String> files) {
    body.append("<ul>\n");
    files.forEach(f -> body.append("<li><a href=\"").append(escape(f)).append("\">")
        .append(escape(f)).append("</a></li>\n"));
    body.append("</ul>\n");
    return this;
  }

  byte[] render() {
    String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n"
        + "<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    return page.getBytes(StandardCharsets.UTF_8);
  }

  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
