#!/usr/bin/env bash
# A real multi-process Spark standalone cluster on this machine, from the project's own jars:
#   conf/local-cluster.sh start [N]   master + N workers (default 2; 1 core, 1g each)
#   conf/local-cluster.sh status      which daemons run, and their pids
#   conf/local-cluster.sh stop        stop them all
# Then: ./submit.sh --master spark://127.0.0.1:7077 train --config jobs/digits.properties
#
# Everything binds 127.0.0.1 (master 7077, UIs 18080 and 18081+, REST submission off).
# SPARK_HOME is target/local-cluster/spark-home with jars/ linked to target/lib (filled by
# `mvn package`); pids and logs live under target/local-cluster/. Environment: JAVA (java
# binary), LOCAL_CLUSTER_MEMORY (per worker, default 1g), LOCAL_CLUSTER_PORT (default 7077),
# LOCAL_CLUSTER_GPUS (GPUs each worker offers, found by conf/gpu-discovery.sh; default 0).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="$here/target/local-cluster"
port="${LOCAL_CLUSTER_PORT:-7077}"
memory="${LOCAL_CLUSTER_MEMORY:-1g}"
java_bin="${JAVA:-java}"
export SPARK_HOME="$base/spark-home"
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_SCALA_VERSION=2.13

prop() { sed -n "s/^$1=//p" "$here/conf/jvm.properties"; }
daemon_opts=()

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_daemon() { # name, main class, args...
  local name="$1"; shift
  local pidfile="$base/$name.pid"
  if running "$pidfile"; then
    echo "$name already running (pid $(cat "$pidfile"))"
    return
  fi
  # shellcheck disable=SC2046  # the flag strings are lists of words
  nohup "$java_bin" $(prop jvm.opens) -Xmx256m -Dspark.master.rest.enabled=false \
    -Dspark.ui.host=127.0.0.1 ${daemon_opts[@]+"${daemon_opts[@]}"} \
    -cp "$SPARK_HOME/jars/*" "$@" > "$base/$name.log" 2>&1 &
  echo $! > "$pidfile"
  echo "$name started (pid $!, log $base/$name.log)"
}

start() {
  local workers="${1:-2}"
  [[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster.sh: N must be >= 1, got '$workers'" >&2; exit 2; }
  if [ ! -d "$here/target/lib" ]; then
    echo "local-cluster.sh: building target/lib (mvn package, once)..." >&2
    (cd "$here" && mvn -B -q -DskipTests package) >&2
  fi
  mkdir -p "$SPARK_HOME"
  ln -sfn "$here/target/lib" "$SPARK_HOME/jars"
  start_daemon master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 18080
  local gpus="${LOCAL_CLUSTER_GPUS:-0}"
  if [ "$gpus" -gt 0 ]; then
    daemon_opts=(-Dspark.worker.resource.gpu.amount="$gpus"
      -Dspark.worker.resource.gpu.discoveryScript="$here/conf/gpu-discovery.sh")
  fi
  for i in $(seq 1 "$workers"); do
    mkdir -p "$base/work-$i"
    start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" \
      --host 127.0.0.1 --cores 1 --memory "$memory" --work-dir "$base/work-$i" \
      --webui-port $((18080 + i))
  done
  echo -n "waiting for $workers worker(s) to register"
  for _ in $(seq 1 60); do
    local alive
    alive=$( (grep -l "Successfully registered with master" "$base"/worker-*.log 2>/dev/null \
      || true) | wc -l)
    if [ "$alive" -ge "$workers" ]; then
      echo; echo "cluster up: spark://127.0.0.1:$port (UI http://127.0.0.1:18080)"
      return
    fi
    echo -n .; sleep 1
  done
  echo; echo "local-cluster.sh: workers did not register within 60 s; see $base/*.log" >&2
  exit 1
}

stop() {
  local any=0
  for pidfile in "$base"/worker-*.pid "$base"/master.pid; do
    [ -f "$pidfile" ] || continue
    any=1
    if running "$pidfile"; then
      kill "$(cat "$pidfile")" && echo "stopped $(basename "$pidfile" .pid) (pid $(cat "$pidfile"))"
    fi
    rm -f "$pidfile"
  done
  [ "$any" = 1 ] || echo "nothing to stop"
}

status() {
  local any=0
  for pidfile in "$base"/master.pid "$base"/worker-*.pid; do
    [ -f "$pidfile" ] || continue
    any=1
    if running "$pidfile"; then
      echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"
    else
      echo "$(basename "$pidfile" .pid): dead (stale pid file)"
    fi
  done
  [ "$any" = 1 ] || echo "not started"
}

case "${1:-}" in
  start) start "${2:-2}" ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
