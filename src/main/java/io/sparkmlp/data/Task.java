package io.sparkmlp.data;

import io.sparkmlp.nn.Named;

/** Whether labels are classes (integral values mapped to indices) or real-valued targets. */
public enum Task implements Named {
  CLASSIFICATION,
  REGRESSION;

  /** The task named {@code s} (see {@link Named#parse}). */
  public static Task parse(String s) {
    return Named.parse(Task.class, "task", s);
  }
}
