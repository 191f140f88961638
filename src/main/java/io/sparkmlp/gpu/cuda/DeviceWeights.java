package io.sparkmlp.gpu.cuda;

import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;

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
   * The device copy of the {@code bytes} at {@code params} (host memory), uploaded unless
   * {@code key} is already there; a null key (weights without a name) is always uploaded. The
   * caller's thread must have the GPU selected; pair with {@link #release}.
   */
  synchronized Pointer acquire(String key, Pointer params, long bytes) {
    boolean interrupted = false;
    while (!holds(key) && users > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!holds(key)) {
      if (capacityBytes < bytes) {
        if (buffer != null) {
          JCuda.cudaFree(buffer);
        }
        buffer = new Pointer();
        JCuda.cudaMalloc(buffer, bytes);
        capacityBytes = bytes;
      }
      this.key = null;
      JCuda.cudaMemcpy(buffer, params, bytes, cudaMemcpyKind.cudaMemcpyHostToDevice);
      this.key = key;
    }
    users++;
    return buffer;
  }

  /** Whether the buffer holds the weights named {@code key}; never for a null key. */
  private boolean holds(String key) {
    return key != null && key.equals(this.key);
  }

  synchronized void release() {
    users--;
    notifyAll();
  }
}
