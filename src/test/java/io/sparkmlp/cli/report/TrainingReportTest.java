package io.sparkmlp.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.cli.Main;
import io.sparkmlp.testing.SparkTestSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report of a real training run (digits, 3 epochs, steps recorded) and the PNG that
 * {@code evaluate --plot} writes, read back as a browser would need them.
 */
class TrainingReportTest {
  @TempDir static Path dir;
  static String trainOutput;
  static Path out;
  /** The Spark UI description of every job the training run started. */
  static final List<String> jobDescriptions = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void train() throws Exception {
    SparkSession spark = SparkTestSession.get();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        jobDescriptions.add(String.valueOf(job.properties().getProperty("spark.job.description")));
      }
    };
    spark.sparkContext().addSparkListener(listener);
    out = dir.resolve("digits");
    try {
      trainOutput = ok("train", "--config", "jobs/digits.properties", "--epochs", "3",
          "--log-every", "10", "--out", out.toString());
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  private static String ok(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    String text = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text + stderr.toString(StandardCharsets.UTF_8));
    return text;
  }

  @Test
  void progressWithoutATerminalIsPlainLinesAndNamesTheReport() {
    assertFalse(trainOutput.contains("\r"), trainOutput);
    assertTrue(trainOutput.contains("  epoch 1/3 step 10/"), "--log-every lines:\n" + trainOutput);
    assertTrue(trainOutput.contains("\nreport: " + out.resolve(TrainingReport.FILE) + "\n"),
        trainOutput);
  }

  @Test
  void everyJobOfTheRunIsLabelledInTheSparkUi() {
    assertTrue(jobDescriptions.contains("load data-samples/digits.csv"), jobDescriptions::toString);
    assertTrue(jobDescriptions.contains("report: score the validation set"),
        jobDescriptions::toString);
    assertFalse(jobDescriptions.contains("null"), "no unlabelled job: " + jobDescriptions);
  }

  @Test
  void reportIsWellFormedAndReferencesOnlyItsOwnFiles() throws Exception {
    Document html = parse(out.resolve(TrainingReport.FILE));
    assertEquals("html", html.getDocumentElement().getTagName());
    List<String> refs = new ArrayList<>();
    for (String attr : List.of("src", "href")) {
      NodeList all = html.getElementsByTagName("*");
      for (int i = 0; i < all.getLength(); i++) {
        Element e = (Element) all.item(i);
        if (e.hasAttribute(attr)) {
          refs.add(e.getAttribute(attr));
        }
      }
    }
    int images = 0;
    for (String ref : refs) {
      if (ref.startsWith("data:image/png;base64,")) {
        byte[] png = Base64.getDecoder().decode(ref.substring(ref.indexOf(',') + 1));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), "embedded image decodes");
        images++;
      } else {
        assertFalse(ref.contains("/") || ref.contains(":"), "a file beside the report: " + ref);
        assertTrue(Files.isRegularFile(out.resolve(ref)), "linked file exists: " + ref);
      }
    }
    assertEquals(4, images, "loss, accuracy, learning rate, confusion matrix: " + refs);
    String text = html.getDocumentElement().getTextContent();
    assertTrue(text.contains("Total params: 9,610"), "model summary");
    assertTrue(text.contains("epochs=3") && text.contains("log-every=10"), "configuration");
    assertTrue(text.contains("val_accuracy"), "final metrics");
  }

  @Test
  void plotsAreWrittenBesideTheReportAtTheirSizes() throws IOException {
    for (String name : List.of(TrainingReport.LOSS_PNG, TrainingReport.ACCURACY_PNG,
        TrainingReport.LR_PNG)) {
      BufferedImage image = ImageIO.read(out.resolve(name).toFile());
      assertNotNull(image, name);
      assertEquals(Charts.LINE_WIDTH, image.getWidth(), name);
      assertEquals(Charts.LINE_HEIGHT, image.getHeight(), name);
    }
    BufferedImage confusion = ImageIO.read(out.resolve(TrainingReport.CONFUSION_PNG).toFile());
    assertEquals(Charts.confusionSize(10), confusion.getWidth());
    assertEquals(Charts.confusionSize(10), confusion.getHeight());
    assertFalse(Files.exists(out.resolve(TrainingReport.RMSE_PNG)), "classifier: no RMSE plot");
  }

  @Test
  void evaluateWritesTheConfusionMatrixOfTheDataItScored() throws IOException {
    Path png = dir.resolve("eval/confusion.png");
    String text = ok("evaluate", "--model", out.toString(), "--data",
        "data-samples/digits.libsvm", "--plot", png.toString());
    assertTrue(text.contains("confusion matrix written to " + png), text);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(Charts.confusionSize(10), image.getWidth());
    assertEquals(Charts.confusionSize(10), image.getHeight());
  }

  /** Parses the page as XML: every element closed, properly nested, entities escaped. */
  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return f.newDocumentBuilder().parse(file.toFile());
  }
}
