package io.sparkmlp.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's plots as PNG bytes, drawn with JFreeChart off-screen: line charts of per-epoch
 * (and per-step) series, and the confusion matrix as a heat map with the counts in the cells.
 *
 * <p>Loading this class switches AWT to headless mode (unless the JVM was told otherwise), so
 * plotting works on servers and executors without a display.
 */
final class Charts {
  /** Size of the line charts in pixels. */
  static final int LINE_WIDTH = 900;
  static final int LINE_HEIGHT = 420;
  /** Above this many classes the heat map's cells are too small to hold their counts. */
  static final int MAX_CLASSES_WITH_COUNTS = 30;

  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
  private static final Color GRID = new Color(0xdddddd);
  private static final Color LOW = new Color(0xf7fbff);
  private static final Color HIGH = new Color(0x08306b);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** One named line of a chart; {@code markers} draws a dot at every point (for few points). */
  record Line(String name, double[] x, double[] y, boolean markers) {}

  /** Side of the square confusion-matrix image for {@code k} classes. */
  static int confusionSize(int k) {
    return Math.max(420, Math.min(1400, 200 + 40 * k));
  }

  /**
   * A line chart of {@code lines}, skipping non-finite points; {@code fromZero} starts the y axis
   * at 0 (a constant learning rate would otherwise get an axis zoomed into rounding noise).
   */
  static byte[] lineChart(String title, String xLabel, String yLabel, List<Line> lines,
      boolean fromZero) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    for (int s = 0; s < lines.size(); s++) {
      Line line = lines.get(s);
      XYSeries series = new XYSeries(line.name(), false, true);
      for (int i = 0; i < line.x().length; i++) {
        if (Double.isFinite(line.y()[i])) {
          series.add(line.x()[i], line.y()[i]);
        }
      }
      data.addSeries(series);
      renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
      renderer.setSeriesStroke(s, new BasicStroke(line.markers() ? 2f : 1f));
      renderer.setSeriesShapesVisible(s, line.markers());
    }
    NumberAxis xAxis = new NumberAxis(xLabel);
    xAxis.setAutoRangeIncludesZero(false);
    NumberAxis yAxis = new NumberAxis(yLabel);
    yAxis.setAutoRangeIncludesZero(fromZero);
    if (xLabel.equals("epoch")) {
      xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    return png(style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, lines.size() > 1)),
        LINE_WIDTH, LINE_HEIGHT);
  }

  /**
   * The confusion matrix {@code counts[true][predicted]} as a heat map: true classes top to
   * bottom, predicted classes left to right, darker for more rows, each cell labelled with its
   * count (up to {@link #MAX_CLASSES_WITH_COUNTS} classes).
   */
  static byte[] confusionMatrix(String title, String subtitle, long[][] counts,
      String[] labels) {
    int k = counts.length;
    double[] xs = new double[k * k];
    double[] ys = new double[k * k];
    double[] zs = new double[k * k];
    long max = 1;
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        xs[t * k + p] = p;
        ys[t * k + p] = t;
        zs[t * k + p] = counts[t][p];
        max = Math.max(max, counts[t][p]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("counts", new double[][] {xs, ys, zs});
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(new Blues(max));
    SymbolAxis xAxis = new SymbolAxis("predicted class", labels);
    SymbolAxis yAxis = new SymbolAxis("true class", labels);
    yAxis.setInverted(true);
    for (SymbolAxis axis : List.of(xAxis, yAxis)) {
      axis.setGridBandsVisible(false);
      axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, k <= 12 ? 13 : 10));
      axis.setLowerMargin(0);
      axis.setUpperMargin(0);
    }
    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    if (k <= MAX_CLASSES_WITH_COUNTS) {
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, k <= 12 ? 14 : 10);
      for (int t = 0; t < k; t++) {
        for (int p = 0; p < k; p++) {
          XYTextAnnotation a = new XYTextAnnotation(Long.toString(counts[t][p]), p, t);
          a.setFont(font);
          a.setPaint(counts[t][p] > max / 2 ? Color.WHITE : Color.BLACK);
          plot.addAnnotation(a);
        }
      }
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
    int side = confusionSize(k);
    return png(style(chart), side, side);
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    return chart;
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(bytes, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * {@code png} with a {@code tEXt} chunk {@code keyword}: {@code text} (Latin-1) right after
   * the header chunk, where readers of the first bytes (such as the output policy's stamp
   * check) find it. PNG chunk: length (4 bytes, big-endian), type, data, CRC-32 of type and
   * data.
   */
  static byte[] withText(byte[] png, String keyword, String text) {
    int afterHeader = 8 + 4 + 4 + 13 + 4; // signature, then IHDR: length, type, 13 bytes, CRC
    byte[] data = (keyword + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put("tEXt".getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    byte[] out = new byte[png.length + chunk.capacity()];
    System.arraycopy(png, 0, out, 0, afterHeader);
    System.arraycopy(chunk.array(), 0, out, afterHeader, chunk.capacity());
    System.arraycopy(png, afterHeader, out, afterHeader + chunk.capacity(),
        png.length - afterHeader);
    return out;
  }

  /** White to dark blue, linear in the count (matplotlib's "Blues" end points). */
  private static final class Blues implements PaintScale {
    private final double max;

    Blues(double max) {
      this.max = max;
    }

    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return max;
    }

    @Override
    public Paint getPaint(double value) {
      double f = Math.max(0, Math.min(1, value / max));
      return new Color(mix(LOW.getRed(), HIGH.getRed(), f), mix(LOW.getGreen(), HIGH.getGreen(), f),
          mix(LOW.getBlue(), HIGH.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
      return (int) Math.round(a + (b - a) * f);
    }
  }
}
