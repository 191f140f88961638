#!/usr/bin/env bash
# Figure 7 of BENCHMARKS.md: training on 1, 2, 4 and 8 single-core executors of a real
# standalone cluster on this machine (conf/local-cluster.sh), one partition per executor.
#   conf/bench-executors.sh [COUNTS] [-- extra bench options]
#   e.g. ENGINES=stage HIDDEN=256,128 conf/bench-executors.sh "1 2" -- --rows-per-partition 64
# ENGINES (default stage,job) and HIDDEN (default 1024,512) set the step engines and network;
# SUBMIT_OPTS adds submit.sh options, e.g. SUBMIT_OPTS="--conf spark.mlp.fanIn=2".
# Each count N: a cluster of N workers is started, `bench --figures 7 --partitions N` runs on
# it, and the cluster is stopped. Results: target/bench-executors/N.md, and all tables printed
# at the end. Timings mean something only on an otherwise idle machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
counts="${1:-1 2 4 8}"
shift || true
[ "${1:-}" = "--" ] && shift
out="$here/target/bench-executors"
mkdir -p "$out"
trap '"$here/conf/local-cluster.sh" stop > /dev/null 2>&1 || true' EXIT
for n in $counts; do
  "$here/conf/local-cluster.sh" stop > /dev/null 2>&1 || true
  "$here/conf/local-cluster.sh" start "$n"
  # shellcheck disable=SC2086
  "$here/submit.sh" --master spark://127.0.0.1:7077 ${SUBMIT_OPTS:-} bench --figures 7 --partitions "$n" \
    --engines "${ENGINES:-stage,job}" --hidden "${HIDDEN:-1024,512}" --warmup-epochs 1 \
    --epochs 1 "$@" \
    --out "$out/${OUT_PREFIX:-}$n.md" --overwrite true
done
"$here/conf/local-cluster.sh" stop > /dev/null 2>&1 || true
for n in $counts; do
  echo "== $n executor(s)"; sed -n '/figure 7/,$p' "$out/${OUT_PREFIX:-}$n.md"
done
