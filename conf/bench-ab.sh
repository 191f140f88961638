#!/usr/bin/env bash
# An A/B of two builds on this machine: the same `bench` command run alternately in two
# checkouts (each already built with `mvn -B -q -DskipTests package`), so both sides see the
# same machine state; on a VM whose speed drifts by tens of percent within an hour this is the
# comparison that means something (BENCHMARKS.md, "Afternoon of 2026-11-30").
#   conf/bench-ab.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS] [-- bench options]
#   e.g. git worktree add /tmp/old 3d271c0 && (cd /tmp/old && mvn -B -q -DskipTests package)
#        conf/bench-ab.sh /tmp/old . 3 -- --engines stage --figures 2,3 --dtypes float32 --batches 128 --epochs 5
# Prints one line per run (side, round, load average, figure 2 and 3 summaries); the full
# output of each run is in target/bench-ab/SIDE-ROUND.log of this checkout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="$(cd "$1" && pwd)"
new="$(cd "$2" && pwd)"
rounds="${3:-2}"
shift 2; [ $# -gt 0 ] && [ "$1" != "--" ] && shift
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- --engines stage --figures 2,3 --dtypes float32 --batches 128,1024
out="$here/target/bench-ab"
mkdir -p "$out"
for i in $(seq 1 "$rounds"); do
  for side in old new; do
    dir="$old"; [ "$side" = new ] && dir="$new"
    load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
    (cd "$dir" && ./submit.sh --master 'local[2]' bench "$@" --out "$out/$side-$i.md" \
      --overwrite true > "$out/$side-$i.log" 2>&1)
    echo "$side $i | load $load |" \
      "$(grep -E '^figure (2|3): ' "$out/$side-$i.log" | sort -u | sed -E 's/^figure ([23]): //' | tr '\n' '|')"
  done
done
