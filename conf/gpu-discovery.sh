#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs
# of this node as Spark's resource JSON, e.g. {"name":"gpu","addresses":["0","1"]}.
# Uses only bash builtins besides nvidia-smi. When nvidia-smi is missing, fails, or lists no
# GPU, it says so on stderr and exits non-zero, so the executor fails at start with that reason
# instead of running without a GPU it was promised.
set -uo pipefail

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi not found on PATH: no NVIDIA driver on this node" >&2
  exit 1
fi
if ! indexes="$(nvidia-smi --query-gpu=index --format=csv,noheader)"; then
  echo "gpu-discovery.sh: nvidia-smi failed (driver not loaded?)" >&2
  exit 1
fi

addresses=""
while read -r index; do
  index="${index//[[:space:]]/}"
  [ -n "$index" ] || continue
  addresses+="${addresses:+,}\"$index\""
done <<< "$indexes"

if [ -z "$addresses" ]; then
  echo "gpu-discovery.sh: nvidia-smi lists no GPU on this node" >&2
  exit 1
fi
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
