package io.sparkmlp.gpu;

import static io.sparkmlp.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkmlp.nn.Dtype;
import io.sparkmlp.nn.Examples;
import io.sparkmlp.nn.Float32Kernel;
import io.sparkmlp.nn.Float64Kernel;
import io.sparkmlp.nn.Kernel;
import io.sparkmlp.nn.Loss;
import io.sparkmlp.testing.Golden;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CUDA kernels against the CPU kernels on the PyTorch golden nets: loss, summed gradient
 * and outputs within 1e-4 relative (float32) and 1e-10 (float64). Chunks of 7 rows exercise the
 * chunking and the gradient accumulation on the device. Runs only where the CUDA backend
 * loads (conf/gpu-check.sh); skipped with the reason elsewhere.
 */
class GpuParityTest {
  private static final int CHUNK = 7;

  @BeforeEach
  void needsAGpu() {
    String problem = GpuBackend.problem();
    assumeTrue(problem == null, "no usable GPU: " + problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu_ce", "tanh_mse", "sigmoid_ce", "leaky_relu_ce", "gelu_ce",
      "gelu_mse", "identity_mse", "sigmoid_mse1"})
  void float64MatchesTheCpu(String name) {
    Golden g = Golden.load("nn_" + name + "_f64");
    boolean ce = g.mlp.loss() == Loss.CROSS_ENTROPY;
    double[] x = g.tensor("x");
    int rows = x.length / g.mlp.numInputs();
    int[] labels = ce ? g.labels() : null;
    double[] targets = ce ? null : g.tensor("y");
    double[] cpuGrad = new double[g.mlp.numParameters()];
    double cpuLoss = new Float64Kernel(g.mlp, CHUNK).forwardBackward(g.initialParams, x, 0, rows,
        labels, targets, cpuGrad);
    Kernel kernel = GpuBackend.newKernel(g.mlp, Dtype.FLOAT64, CHUNK, "0");
    try {
      kernel.loadWeights(kernel.shipWeights(g.initialParams), "f64/" + name);
      double gpuLoss = kernel.forwardBackward(Examples.of(rows, x, labels, targets), null, 0, rows);
      assertClose(new double[] {cpuLoss}, new double[] {gpuLoss}, 1e-10, name + " loss");
      assertClose(cpuGrad, widen(kernel, kernel.gradient()), 1e-10, name + " gradient");
      double[] cpuOut = new double[rows * g.mlp.numOutputs()];
      new Float64Kernel(g.mlp, CHUNK).forward(g.initialParams, x, 0, rows, cpuOut, 0);
      assertClose(cpuOut, outputs(kernel, Examples.of(rows, x, null, null), rows), 1e-10,
          name + " outputs");
    } finally {
      kernel.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu_ce", "tanh_mse", "sigmoid_ce", "leaky_relu_ce", "gelu_ce",
      "gelu_mse", "identity_mse", "sigmoid_mse1"})
  void float32MatchesTheCpu(String name) {
    Golden g = Golden.load("nn_" + name + "_f32");
    boolean ce = g.mlp.loss() == Loss.CROSS_ENTROPY;
    float[] x = toFloat(g.tensor("x"));
    float[] params = toFloat(g.initialParams);
    int rows = x.length / g.mlp.numInputs();
    int[] labels = ce ? g.labels() : null;
    float[] targets = ce ? null : toFloat(g.tensor("y"));
    float[] cpuGrad = new float[g.mlp.numParameters()];
    double cpuLoss = new Float32Kernel(g.mlp, CHUNK).forwardBackward(params, x, 0, rows, labels,
        targets, cpuGrad);
    Kernel kernel = GpuBackend.newKernel(g.mlp, Dtype.FLOAT32, CHUNK, "0");
    try {
      kernel.loadWeights(kernel.shipWeights(g.initialParams), "f32/" + name);
      double gpuLoss = kernel.forwardBackward(Examples.of(rows, x, labels, targets), null, 0, rows);
      assertClose(new double[] {cpuLoss}, new double[] {gpuLoss}, 1e-4, name + " loss");
      assertClose(toDouble(cpuGrad), widen(kernel, kernel.gradient()), 1e-4, name + " gradient");
      float[] cpuOut = new float[rows * g.mlp.numOutputs()];
      new Float32Kernel(g.mlp, CHUNK).forward(params, x, 0, rows, cpuOut, 0);
      assertClose(toDouble(cpuOut), outputs(kernel, Examples.of(rows, x, null, null), rows), 1e-4,
          name + " outputs");
    } finally {
      kernel.close();
    }
  }

  /** A kernel's gradient in double. */
  private static double[] widen(Kernel kernel, Object gradient) {
    return io.sparkmlp.testing.Gradients.widen(gradient);
  }

  private static double[] outputs(Kernel kernel, Examples rows, int m) {
    double[] out = new double[m * kernel.mlp().numOutputs()];
    kernel.forward(rows, 0, m, out, 0);
    return out;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
