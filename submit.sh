#!/usr/bin/env bash
# Runs a spark-mlp job:
#   ./submit.sh [spark-submit options] COMMAND [job options]
#   ./submit.sh train --config jobs/mnist.properties --epochs 5
#   ./submit.sh --master spark://127.0.0.1:7077 train --data ... --out ...
#   ./submit.sh --gpu --master spark://... train --device gpu ...   (conf/spark-gpu.conf)
#
# With SPARK_HOME set, the job goes to that installation's bin/spark-submit (any cluster
# manager; the application jar does not bundle Spark or Hadoop). Without it, the embedded Spark
# from Maven Central (target/lib/*) runs the driver in this JVM, with --master local[*] unless a
# master is given. The jar is built first when missing.
#
# Environment: SPARK_MLP_DRIVER_MEMORY (embedded driver heap, default 4g), JAVA (java binary),
# SPARK_MLP_BLAS (force a BLAS: system, bundled, vector, java or a library path; default auto).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/spark-mlp.jar"
commands=" train predict evaluate summary bench "

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  echo
  echo "Commands:${commands}(COMMAND --help lists its options)"
}

# Spark options come before the command; everything after it belongs to the job.
spark_args=()
master=""
gpu=false
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --master) [ $# -ge 2 ] || { echo "submit.sh: --master needs a value" >&2; exit 2; }
              master="$2"; shift 2 ;;
    --master=*) master="${1#--master=}"; shift ;;
    --gpu) gpu=true; shift ;;
    --*=*) spark_args+=("$1"); shift ;;
    --verbose|--supervise) spark_args+=("$1"); shift ;;
    --*) [ $# -ge 2 ] || { echo "submit.sh: $1 needs a value" >&2; exit 2; }
         spark_args+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ] || [[ "$commands" != *" $1 "* ]]; then
  echo "submit.sh: expected a command (${commands# }) after the Spark options, got '${1:-nothing}'" >&2
  usage >&2
  exit 2
fi

if [ ! -f "$jar" ] || { [ -z "${SPARK_HOME:-}" ] && [ ! -d "$here/target/lib" ]; }; then
  echo "submit.sh: building $jar (mvn package, once)..." >&2
  (cd "$here" && mvn -B -q -DskipTests package) >&2
fi

# One place for the JVM flags: conf/jvm.properties (also read by the test JVM).
prop() { sed -n "s/^$1=//p" "$here/conf/jvm.properties"; }
opens="$(prop jvm.opens)"
modules="$(prop jvm.modules)"
gc="$(prop jvm.gc)"
log_conf="-Dlog4j2.configurationFile=file:$here/conf/log4j2.properties"
executor_opts="$modules $gc $log_conf"

# conf/spark-defaults.conf goes in as --conf pairs (a --properties-file would hide the
# cluster's own spark-defaults.conf); options given to submit.sh come later and win.
# One BLAS thread per task: Spark already runs one task per core, and multi-threaded OpenBLAS
# inside every task oversubscribes the cores (set OPENBLAS_NUM_THREADS yourself to override).
blas_threads="${OPENBLAS_NUM_THREADS:-1}"
export OPENBLAS_NUM_THREADS="$blas_threads"
common=(--conf "spark.executor.extraJavaOptions=$executor_opts"
        --conf "spark.executorEnv.OPENBLAS_NUM_THREADS=$blas_threads")
# SPARK_MLP_BLAS (auto|system|bundled|vector|java|/path/to/libblas.so) forces the BLAS of the
# driver and executors: it becomes the Spark conf spark.mlp.blas (README, "BLAS").
if [ -n "${SPARK_MLP_BLAS:-}" ]; then
  common+=(--conf "spark.mlp.blas=$SPARK_MLP_BLAS")
fi
while read -r key value; do
  [ -z "$key" ] || [[ "$key" == \#* ]] || common+=(--conf "$key=$value")
done < "$here/conf/spark-defaults.conf"
# --gpu: GPU-resourced executors from conf/spark-gpu.conf, its discovery script made absolute.
if [ "$gpu" = true ]; then
  while read -r key value; do
    if [ -z "$key" ] || [[ "$key" == \#* ]]; then continue; fi
    if [ "$key" = spark.executor.resource.gpu.discoveryScript ]; then value="$here/$value"; fi
    common+=(--conf "$key=$value")
  done < "$here/conf/spark-gpu.conf"
fi
common+=(--class io.sparkmlp.cli.Main)

if [ -n "${SPARK_HOME:-}" ]; then
  [ -n "$master" ] && spark_args+=(--master "$master")
  exec "$SPARK_HOME/bin/spark-submit" "${common[@]}" "${spark_args[@]}" \
    --driver-java-options "$modules $gc $log_conf" "$jar" "$@"
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
java_bin="${JAVA:-java}"
# shellcheck disable=SC2086  # the flag strings are lists of words
exec "$java_bin" $opens $modules $gc "$log_conf" -Xmx"${SPARK_MLP_DRIVER_MEMORY:-4g}" \
  -cp "$here/target/lib/*:$jar" org.apache.spark.deploy.SparkSubmit \
  --master "${master:-local[*]}" --conf spark.driver.host=127.0.0.1 \
  "${common[@]}" "${spark_args[@]}" "$jar" "$@"
