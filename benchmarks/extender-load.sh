#!/usr/bin/env bash
# The extender under load: the production server (ExtenderUnderLoad) in one JVM, fed a synthetic
# cluster; kube-scheduler's filter + prioritize calls from another (ExtenderLoadGenerator), over
# loopback. See README.md, "Extender under load".
#
#   benchmarks/extender-load.sh [names|nodes|all]      (default: all)
#
# Scenarios:
#   names  5,000 nodes, 100,000 bound pods; nodeCacheCapable: true (NodeNames):
#          names-5000      every node a candidate in every call
#          names-5000-500  500 candidates a call (kube-scheduler's default percentageOfNodesToScore
#                          at 5,000 nodes is 10 %)
#   nodes  1,000 nodes, 20,000 bound pods; nodeCacheCapable: false (full Node objects):
#          nodes-1000      every node a candidate in every call
#
# Environment: CONCURRENCY (2,4,8), WARMUP (8 s per level), FIRST_WARMUP (20 s), DURATION (20 s
# measured per level), SERVER_HEAP (4g), SERVER_JAVA_OPTS, OUT (benchmarks/target/extender-load),
# BUILD=1 to rebuild even when the jar exists.
set -euo pipefail
cd "$(dirname "$0")/.."

WHAT=${1:-all}
CONCURRENCY=${CONCURRENCY:-2,4,8}
WARMUP=${WARMUP:-8}
FIRST_WARMUP=${FIRST_WARMUP:-20}
DURATION=${DURATION:-20}
SERVER_HEAP=${SERVER_HEAP:-4g}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
OUT=${OUT:-benchmarks/target/extender-load}
JAR=benchmarks/target/benchmarks.jar

case "$WHAT" in names|nodes|all) ;; *) echo "usage: $0 [names|nodes|all]" >&2; exit 2 ;; esac

if [[ ! -f $JAR || ${BUILD:-0} == 1 ]]; then
  echo "building $JAR"
  ./mvnw -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"
RUN_LOGS=()

SERVER_PID=
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap stop_server EXIT INT TERM

# start_server NAME NODES PODS: starts ExtenderUnderLoad, waits for "ready", sets PORT.
start_server() {
  local name=$1 nodes=$2 pods=$3 log="$OUT/$1-server.log"
  RUN_LOGS+=("$log")
  echo
  echo "### server $name: $nodes nodes, $pods pods (log: $log)"
  # shellcheck disable=SC2086
  java -Xmx"$SERVER_HEAP" $SERVER_JAVA_OPTS -cp "$JAR" io.kubeai.benchmarks.extender.ExtenderUnderLoad \
    --nodes "$nodes" --pods "$pods" >"$log" 2>&1 &
  SERVER_PID=$!
  local waited=0
  until grep -q '^ready$' "$log" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server exited:" >&2
      cat "$log" >&2
      exit 1
    fi
    if ((waited >= 900)); then
      echo "the server was not ready after ${waited} s" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  PORT=$(awk '/^port /{print $2}' "$log")
  grep -E '^(port|cache|heap|policy)' "$log"
}

# load LABEL NODES MODE CANDIDATES
load() {
  local label=$1 nodes=$2 mode=$3 candidates=$4
  RUN_LOGS+=("$OUT/$label-load.log")
  java -cp "$JAR" io.kubeai.benchmarks.extender.ExtenderLoadGenerator --port "$PORT" --nodes "$nodes" --mode "$mode" \
    --candidates "$candidates" --concurrency "$CONCURRENCY" --warmup "$WARMUP" --first-warmup "$FIRST_WARMUP" \
    --duration "$DURATION" --server-pid "$SERVER_PID" --label "$label" 2>&1 | grep -v '^SLF4J' | tee "$OUT/$label-load.log"
}

if [[ $WHAT == names || $WHAT == all ]]; then
  start_server names-5000 5000 100000
  load names-5000 5000 names 0
  load names-5000-500 5000 names 500
  stop_server
fi
if [[ $WHAT == nodes || $WHAT == all ]]; then
  start_server nodes-1000 1000 20000
  load nodes-1000 1000 nodes 0
  stop_server
fi

echo
echo "### summary (a call = one filter + one prioritize; client latency in ms; server figures from /metrics over the measured window)"
for log in "${RUN_LOGS[@]}"; do
  case $log in *-server.log) echo "    $(basename "$log" -server.log): $(grep -h '^heap' "$log")" ;; esac
done
cat "${RUN_LOGS[@]}" | grep '^RESULT' | awk '
function v(k,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return substr($i, length(k) + 2) } return "?" }
BEGIN {
  printf "%-16s %5s %3s %8s %8s %8s %9s %11s %11s %9s %9s %8s %6s\n", "scenario", "cand.", "C", "calls/s",
    "p50", "p99", "max", "srv f p99", "srv p p99", "srv f avg", "srv p avg", "cpu/call", "load1"
}
{
  printf "%-16s %5s %3s %8s %8.2f %8.2f %9.2f %11s %11s %9.3f %9.3f %8.3f %6s\n", v("label"), v("candidates"), v("c"),
    v("calls_per_s"), v("call_p50_ms"), v("call_p99_ms"), v("call_max_ms"), v("server_filter_p99_le"),
    v("server_prio_p99_le"), v("server_filter_mean_ms"), v("server_prio_mean_ms"), v("server_cpu_ms_per_call"), v("load1")
}'
echo "(srv f/p p99: the upper bound of the server histogram bucket holding the 99th percentile of filter/prioritize;"
echo " avg in ms; cpu/call: server CPU ms per call from /proc; load1: 1-minute load average at the end of the window)"
