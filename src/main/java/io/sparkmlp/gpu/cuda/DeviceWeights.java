package io.sparkmlp.gpu.cuda;

import io.sparkmlp.nn.Dtype;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.runtime.JCuda;

/**
 * The step's parameters on one GPU, shared by every partition's kernel in this executor JVM:
 * copied once per step (per distinct key) instead of once per partition. A kernel leases the
 * weights for its pass; a new key waits until no pass still reads the old weights, then
 * overwrites the same buffer (grown only when the network is larger). The buffer lives as
 * long as the JVM: one parameter vector per GPU.
 */
final class DeviceWeights {
  private static final Map<Integer, DeviceWeights> BY_DEVICE = new HashMap<>();

  private Pointer buffer;
  private long capacityBytes;
  private String key;
  private int users;

  static synchronized DeviceWeights of(int device) {
    return BY_DEVICE.computeIfAbsent(device, d -> new DeviceWeights());
  }

  /**
   * The device copy of {@code params} (float[] or double[]), uploaded unless {@code key} is
   * already there. The caller's thread must have the GPU selected; pair with {@link #release}.
   */
  synchronized Pointer acquire(String key, Object params, Dtype dtype, int n) {
    boolean interrupted = false;
    while (!key.equals(this.key) && users > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!key.equals(this.key)) {
      long bytes = (long) n * dtype.bytes();
      if (capacityBytes < bytes) {
        if (buffer != null) {
          JCuda.cudaFree(buffer);
        }
        buffer = new Pointer();
        JCuda.cudaMalloc(buffer, bytes);
        capacityBytes = bytes;
      }
      this.key = null;
      DeviceMemory.uploadHost(params, 0, n, buffer);
      this.key = key;
    }
    users++;
    return buffer;
  }

  synchronized void release() {
    users--;
    notifyAll();
  }
}
