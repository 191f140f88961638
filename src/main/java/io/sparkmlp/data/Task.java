package io.sparkmlp.data;

import java.util.Locale;

/** Whether labels are classes (integral values mapped to indices) or real-valued targets. */
public enum Task {
  CLASSIFICATION,
  REGRESSION;

  /** Parses {@code classification} or {@code regression} (case-insensitive). */
  public static Task parse(String s) {
    if (s != null) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "classification":
          return CLASSIFICATION;
        case "regression":
          return REGRESSION;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown task '" + s + "'; expected classification or regression");
  }
}
