package io.sparkmlp.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Formatting shared by the metric reports. */
final class Report {
  private Report() {}

  /**
   * A metric as a JSON number, or {@code null} when it is NaN or infinite (no rows, or a
   * diverged model), because JSON has no NaN and Jackson would otherwise write a string.
   */
  static JsonNode number(double value) {
    return Double.isFinite(value) ? JsonNodeFactory.instance.numberNode(value)
        : JsonNodeFactory.instance.nullNode();
  }

  /** A class label as JSON: integral labels as integers ({@code 3}, not {@code 3.0}). */
  static JsonNode label(double label) {
    return isIntegral(label) ? JsonNodeFactory.instance.numberNode((long) label)
        : number(label);
  }

  /** A class label as text: {@code 3} for 3.0, otherwise {@link Double#toString}. */
  static String labelText(double label) {
    return isIntegral(label) ? Long.toString((long) label) : Double.toString(label);
  }

  private static boolean isIntegral(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15;
  }
}
