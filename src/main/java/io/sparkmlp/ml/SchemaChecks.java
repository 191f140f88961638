package io.sparkmlp.ml;

import java.util.Arrays;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema validation shared by the estimators and models, with messages naming the column. */
final class SchemaChecks {
  private SchemaChecks() {}

  /** The field {@code name}, or an error listing the columns there are. */
  static StructField field(StructType schema, String name, String role) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(role + " column '" + name + "' does not exist (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    return schema.apply(name);
  }

  /**
   * Checks that {@code name} holds Spark ML vectors and, when its metadata declares a size and
   * {@code expected > 0}, that the size is {@code expected}.
   */
  static void features(StructType schema, String name, int expected) {
    StructField f = field(schema, name, "features");
    if (!f.dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("features column '" + name
          + "' must be of Spark ML's vector type (org.apache.spark.ml.linalg.Vector), not "
          + f.dataType().simpleString());
    }
    int size = AttributeGroup.fromStructField(f).size();
    if (expected > 0 && size >= 0 && size != expected) {
      throw new IllegalArgumentException("features column '" + name + "' holds vectors of size "
          + size + " (from its metadata), the model expects " + expected);
    }
  }

  /** Checks that the label column exists and is numeric. */
  static void label(StructType schema, String name) {
    StructField f = field(schema, name, "label");
    if (!(f.dataType() instanceof NumericType)) {
      throw new IllegalArgumentException("label column '" + name + "' must be numeric, not "
          + f.dataType().simpleString());
    }
  }

  /** Checks that a regressor's label column exists and is numeric or a vector of targets. */
  static void targets(StructType schema, String name) {
    StructField f = field(schema, name, "label");
    if (!(f.dataType() instanceof NumericType)
        && !f.dataType().equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("label column '" + name + "' must be numeric or a "
          + "vector of targets, not " + f.dataType().simpleString());
    }
  }

  /**
   * {@code df} with the column metadata of {@code schema} (ML attributes such as vector sizes
   * and nominal values), which a {@code mapPartitions} with a row encoder does not carry over.
   */
  static Dataset<Row> withMetadata(Dataset<Row> df, StructType schema) {
    Dataset<Row> out = df;
    for (StructField f : schema.fields()) {
      if (!f.metadata().equals(Metadata.empty())) {
        out = out.withMetadata(f.name(), f.metadata());
      }
    }
    return out;
  }

  /** {@code schema} plus {@code field}, which must not exist yet. */
  static StructType append(StructType schema, StructField field) {
    if (Arrays.asList(schema.fieldNames()).contains(field.name())) {
      throw new IllegalArgumentException("output column '" + field.name() + "' already exists");
    }
    return schema.add(field);
  }
}
