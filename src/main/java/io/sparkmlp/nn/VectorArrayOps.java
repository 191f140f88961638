package io.sparkmlp.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ArrayOps} on the Vector API: the same conversions lane by lane, so the same bits as
 * {@link ScalarArrayOps}. Loaded by name through {@link VectorApi} only.
 */
final class VectorArrayOps implements ArrayOps {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  /** The floats one {@link #D} vector narrows into. */
  private static final VectorSpecies<Float> F =
      VectorShape.forBitSize(D.vectorBitSize() / 2).withLanes(float.class);
  private final ScalarArrayOps tail = new ScalarArrayOps();

  @Override
  public void roundToFloat(double[] v, int from, int to) {
    int i = from;
    for (int bound = from + D.loopBound(to - from); i < bound; i += D.length()) {
      ((DoubleVector) DoubleVector.fromArray(D, v, i).convertShape(VectorOperators.D2F, F, 0)
          .convertShape(VectorOperators.F2D, D, 0)).intoArray(v, i);
    }
    tail.roundToFloat(v, i, to);
  }

  @Override
  public void toFloats(double[] v, int from, float[] w, int off, int n) {
    int k = 0;
    for (int bound = D.loopBound(n); k < bound; k += D.length()) {
      ((FloatVector) DoubleVector.fromArray(D, v, from + k).convertShape(VectorOperators.D2F, F, 0))
          .intoArray(w, off + k);
    }
    tail.toFloats(v, from + k, w, off + k, n - k);
  }

  @Override
  public void putFloats(double[] v, int from, int n, ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    int pos = out.position();
    int k = 0;
    for (int bound = D.loopBound(n); k < bound; k += D.length()) {
      ((FloatVector) DoubleVector.fromArray(D, v, from + k).convertShape(VectorOperators.D2F, F, 0))
          .intoByteBuffer(out, pos + 4 * k, ByteOrder.LITTLE_ENDIAN);
    }
    out.position(pos + 4 * k);
    tail.putFloats(v, from + k, n - k, out);
  }
}
