package io.sparkmlp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A step's task result survives both serializers a job may be configured with, in both dtypes'
 * shipped forms: Java serialization and Spark's Kryo (which cannot serialize records).
 */
class PartitionGradientTest {
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();

  @Test
  void roundTripsThroughJavaAndKryo() {
    SparkConf conf = new SparkConf();
    for (Serializer serializer : new Serializer[] {new JavaSerializer(conf),
        new KryoSerializer(conf)}) {
      SerializerInstance s = serializer.newInstance();
      for (Object gradient : new Object[] {new float[] {1.5f, -2f}, new double[] {0.25, 3}}) {
        PartitionGradient g = new PartitionGradient(1.25, 7, gradient, 99);
        PartitionGradient back = (PartitionGradient) s.deserialize(s.serialize(g, ANY), ANY);
        String what = serializer.getClass().getSimpleName();
        assertEquals(1.25, back.lossSum, what);
        assertEquals(7, back.rows, what);
        assertEquals(99, back.computeNanos, what);
        if (gradient instanceof float[] f) {
          assertArrayEquals(f, (float[]) back.gradient, what);
        } else {
          assertArrayEquals((double[]) gradient, (double[]) back.gradient, what);
        }
      }
    }
  }
}
