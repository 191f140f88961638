package io.sparkmlp.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Columns of a DataFrame by their literal names. */
final class Columns {
  private Columns() {}

  /**
   * The column called {@code name}, quoted in backticks (a backtick in the name doubled), so a
   * name with a dot, space or backtick is taken as written, never as a nested field or an
   * expression.
   */
  static Column named(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }
}
