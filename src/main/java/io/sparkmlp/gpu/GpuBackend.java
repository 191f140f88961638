package io.sparkmlp.gpu;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.MLP;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * The door to the CUDA backend ({@code io.sparkmlp.gpu.cuda}), opened by reflection only:
 * a CPU run never loads a class that refers to JCuda, so the application jar works on
 * clusters without JCuda on the class path.
 */
public final class GpuBackend {
  static final String JCUDA_CLASS = "jcuda.driver.JCudaDriver";
  private static final String PROBE_CLASS = "io.sparkmlp.gpu.cuda.CudaProbe";
  /** The CUDA kernel of each dtype, expanded from one template. */
  private static final Map<Dtype, String> KERNEL_CLASS = Map.of(
      Dtype.FLOAT32, "io.sparkmlp.gpu.cuda.Float32CudaKernel",
      Dtype.FLOAT64, "io.sparkmlp.gpu.cuda.Float64CudaKernel");
  private static String problem;
  private static boolean probed;

  private GpuBackend() {}

  /** Why the CUDA backend cannot be used in this JVM, or null when it can; probed once. */
  public static synchronized String problem() {
    if (!probed) {
      problem = probe(JCUDA_CLASS);
      probed = true;
    }
    return problem;
  }

  /**
   * Probes the backend: {@code jcudaClass} must load (JCuda on the class path), then the
   * probe class initialises the CUDA driver and cuBLAS.
   */
  static String probe(String jcudaClass) {
    ClassLoader loader = GpuBackend.class.getClassLoader();
    try {
      Class.forName(jcudaClass, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return "JCuda is not on the class path (add org.jcuda:jcuda and org.jcuda:jcublas "
          + "12.6.0 with spark-submit --packages or --jars)";
    }
    try {
      return (String) Class.forName(PROBE_CLASS, true, loader).getMethod("problem").invoke(null);
    } catch (InvocationTargetException e) {
      return "the CUDA backend failed to load: " + e.getCause();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the application jar lacks " + PROBE_CLASS, e);
    }
  }

  /**
   * A CUDA kernel for {@code mlp} in {@code dtype} on the GPU with CUDA device ordinal
   * {@code address}, holding work buffers for {@code chunkRows} rows. Call only after
   * {@link #problem()} returned null.
   */
  public static Kernel newKernel(MLP mlp, Dtype dtype, int chunkRows, String address) {
    String name = KERNEL_CLASS.get(dtype);
    try {
      return (Kernel) Class.forName(name, true, GpuBackend.class.getClassLoader())
          .getConstructor(MLP.class, int.class, int.class)
          .newInstance(mlp, chunkRows, Integer.parseInt(address.trim()));
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create the CUDA kernel on GPU " + address, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the application jar lacks " + name, e);
    }
  }
}
