package io.sparkmlp.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@link ArrayOps} in plain Java loops: the reference, and the fallback. */
final class ScalarArrayOps implements ArrayOps {
  @Override
  public void roundToFloat(double[] v, int from, int to) {
    for (int i = from; i < to; i++) {
      v[i] = (float) v[i];
    }
  }

  @Override
  public void toFloats(double[] v, int from, float[] w, int off, int n) {
    for (int k = 0; k < n; k++) {
      w[off + k] = (float) v[from + k];
    }
  }

  @Override
  public void putFloats(double[] v, int from, int n, ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < n; k++) {
      out.putFloat((float) v[from + k]);
    }
  }
}
