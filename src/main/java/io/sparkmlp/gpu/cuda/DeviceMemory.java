package io.sparkmlp.gpu.cuda;

import io.sparkmlp.nn.Dtype;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;

/**
 * Device memory in one dtype, seen from host work arrays in double: allocation, copies that
 * narrow to float32 on the way up and widen on the way down (through one reused staging
 * array), and the GEMM of that dtype. Keeping the host side in double lets one kernel serve
 * both dtypes; {@link #round} keeps float32 host values exactly representable, as on the CPU.
 */
final class DeviceMemory {
  private final Dtype dtype;
  private final boolean f32;
  private final Pointer one;
  private final Pointer zero;
  private float[] stage = new float[0];

  DeviceMemory(Dtype dtype) {
    this.dtype = dtype;
    this.f32 = dtype == Dtype.FLOAT32;
    this.one = f32 ? Pointer.to(new float[] {1f}) : Pointer.to(new double[] {1.0});
    this.zero = f32 ? Pointer.to(new float[] {0f}) : Pointer.to(new double[] {0.0});
  }

  Pointer alloc(long elements) {
    Pointer p = new Pointer();
    JCuda.cudaMalloc(p, Math.max(1, elements) * dtype.bytes());
    return p;
  }

  /** {@code base} advanced by {@code elements}. */
  Pointer at(Pointer base, long elements) {
    return base.withByteOffset(elements * dtype.bytes());
  }

  void clear(Pointer p, long elements) {
    JCuda.cudaMemset(p, 0, elements * dtype.bytes());
  }

  double round(double v) {
    return f32 ? (float) v : v;
  }

  /** Copies {@code src[0, n)} to the device, narrowed to float32 when that is the dtype. */
  void upload(double[] src, int n, Pointer dst) {
    if (f32) {
      float[] s = stage(n);
      for (int i = 0; i < n; i++) {
        s[i] = (float) src[i];
      }
      JCuda.cudaMemcpy(dst, Pointer.to(s), (long) n * 4, cudaMemcpyKind.cudaMemcpyHostToDevice);
    } else {
      JCuda.cudaMemcpy(dst, Pointer.to(src), (long) n * 8, cudaMemcpyKind.cudaMemcpyHostToDevice);
    }
  }

  /** Copies {@code n} elements of the device to {@code dst[0, n)}, widened to double. */
  void download(Pointer src, int n, double[] dst) {
    if (f32) {
      float[] s = stage(n);
      JCuda.cudaMemcpy(Pointer.to(s), src, (long) n * 4, cudaMemcpyKind.cudaMemcpyDeviceToHost);
      for (int i = 0; i < n; i++) {
        dst[i] = s[i];
      }
    } else {
      JCuda.cudaMemcpy(Pointer.to(dst), src, (long) n * 8, cudaMemcpyKind.cudaMemcpyDeviceToHost);
    }
  }

  /** Copies {@code host[offset, offset + n)} ({@code float[]} or {@code double[]}) as is. */
  static void uploadHost(Object host, int offset, int n, Pointer dst) {
    boolean f = host instanceof float[];
    int bytes = f ? 4 : 8;
    Pointer src = f ? Pointer.to((float[]) host) : Pointer.to((double[]) host);
    JCuda.cudaMemcpy(dst, src.withByteOffset((long) offset * bytes), (long) n * bytes,
        cudaMemcpyKind.cudaMemcpyHostToDevice);
  }

  /** C = A·B (+ C when {@code accumulate}), column-major, in this dtype. */
  void gemm(cublasHandle handle, int transA, int transB, int m, int n, int k, Pointer a, int lda,
      Pointer b, int ldb, boolean accumulate, Pointer c, int ldc) {
    Pointer beta = accumulate ? one : zero;
    if (f32) {
      JCublas2.cublasSgemm(handle, transA, transB, m, n, k, one, a, lda, b, ldb, beta, c, ldc);
    } else {
      JCublas2.cublasDgemm(handle, transA, transB, m, n, k, one, a, lda, b, ldb, beta, c, ldc);
    }
  }

  private float[] stage(int n) {
    if (stage.length < n) {
      stage = new float[n];
    }
    return stage;
  }
}
