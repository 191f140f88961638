package io.sparkmlp.gpu.cuda;

import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * Checks that this JVM can run the CUDA backend: the JNI libraries load against the node's
 * CUDA driver and cuBLAS, the driver initialises and sees a GPU, and a cuBLAS handle can be
 * created. Loaded by reflection from {@code GpuBackend} only.
 */
public final class CudaProbe {
  private CudaProbe() {}

  /** Why the backend cannot run here, or null when it can. */
  public static String problem() {
    try {
      JCudaDriver.setExceptionsEnabled(true);
      JCudaDriver.cuInit(0);
      int[] count = new int[1];
      JCudaDriver.cuDeviceGetCount(count);
      if (count[0] == 0) {
        return "the CUDA driver sees no GPU";
      }
      JCublas2.setExceptionsEnabled(true);
      cublasHandle handle = new cublasHandle();
      JCublas2.cublasCreate(handle);
      JCublas2.cublasDestroy(handle);
      return null;
    } catch (LinkageError e) {
      return "the CUDA libraries did not load (needs JCuda's jcuda-natives and jcublas-natives "
          + "jars, and libcuda.so.1 and libcublas.so.12 on the node): " + e;
    } catch (RuntimeException e) {
      return "the CUDA driver failed to initialise: " + e.getMessage();
    }
  }
}
