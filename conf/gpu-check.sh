#!/usr/bin/env bash
# Checks the GPU path on a machine with an NVIDIA GPU, its driver and the CUDA 12 libraries
# (libcuda.so.1, libcublas.so.12), a JDK 17 and Maven:
#   conf/gpu-check.sh            parity tests, then an end-to-end GPU run with CPU timing
#   conf/gpu-check.sh --tests    parity tests only
# 1. conf/gpu-discovery.sh lists the GPUs as Spark's resource JSON.
# 2. GpuParityTest: the CUDA kernel against the CPU kernels on the PyTorch golden nets
#    (float32 within 1e-4 relative, float64 within 1e-10); it must run, not skip.
# 3. A one-worker standalone cluster offering one GPU (conf/local-cluster.sh with
#    LOCAL_CLUSTER_GPUS=1) trains jobs/mnist.properties for 2 epochs with --device gpu and with
#    --device cpu; the executor log must say it computed on the GPU. Wall times are printed.
# Output under target/gpu-check/. Exits non-zero at the first failed step.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/target/gpu-check"
cd "$here"
mkdir -p "$out"

fail() { echo "gpu-check: $*" >&2; exit 1; }

command -v java >/dev/null || fail "java not found (JDK 17 needed)"
command -v mvn >/dev/null || fail "mvn not found"
echo "== 1. discovery"
conf/gpu-discovery.sh | tee "$out/discovery.json"

echo "== 2. parity tests"
mvn -B -Pgpu test -Dtest='GpuParityTest,DeviceChoiceTest,GpuDiscoveryScriptTest' \
  -Dsurefire.failIfNoSpecifiedTests=false | tee "$out/tests.log"
report=target/surefire-reports/TEST-io.sparkmlp.gpu.GpuParityTest.xml
grep -q 'tests="16"' "$report" && grep -q 'skipped="0"' "$report" \
  || fail "GpuParityTest did not run all 16 cases (skipped?): see $report"
[ "${1:-}" = --tests ] && { echo "gpu-check: parity OK"; exit 0; }

echo "== 3. end-to-end on a one-worker cluster with one GPU"
mvn -B -q -Pgpu -DskipTests package
trap 'conf/local-cluster.sh stop || true' EXIT
LOCAL_CLUSTER_GPUS=1 LOCAL_CLUSTER_MEMORY=8g conf/local-cluster.sh start 1
for device in gpu cpu; do
  SECONDS=0
  ./submit.sh --gpu --master spark://127.0.0.1:7077 --executor-memory 6g \
    train --config jobs/mnist.properties --epochs 2 --device "$device" --quiet \
    --out "$out/mnist-$device" 2>&1 | tee "$out/train-$device.log"
  echo "gpu-check: --device $device: ${SECONDS} s wall"
done
grep -rh "computes on the GPU" target/local-cluster/work-1 \
  || fail "no executor log line says it computed on the GPU (target/local-cluster/work-1)"
echo "gpu-check: OK"
