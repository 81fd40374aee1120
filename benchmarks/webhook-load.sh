#!/usr/bin/env bash
# Load benchmark of the admission webhook over loopback HTTPS.
#
# Builds the kubeai fat jar and the benchmarks jar, starts the real `kubeai webhook` process with a
# self-signed certificate and a policy under which every mutation has work to do, then runs the
# open-loop generator (io.kubeai.benchmarks.webhook.WebhookLoad) against POST /mutate at each rate:
# reviews are timed from when they were due, so a stall shows in the tail. Prints p50/p90/p99/p99.9,
# reviews/s achieved, the 1-minute load average and the server's CPU time per review (from /proc,
# which does not depend on what else runs), then the server's own mean time per review.
# Both processes share this machine's cores, as they would not in a cluster: the figures are an
# upper bound on latency.
#
#   benchmarks/webhook-load.sh                       # rates 500,1000,2000; 20 s each after 15 s warm-up
#   RATES=1000 SECONDS_PER_RATE=60 benchmarks/webhook-load.sh
#   SKIP_BUILD=1 benchmarks/webhook-load.sh          # reuse the jars already built
#   LOAD_ARGS=--http1 benchmarks/webhook-load.sh     # HTTP/1.1 keep-alive instead of HTTP/2
set -euo pipefail
cd "$(dirname "$0")/.."

RATES=${RATES:-500,1000,2000}
SECONDS_PER_RATE=${SECONDS_PER_RATE:-20}
WARMUP=${WARMUP:-15}
PORT=${PORT:-19443}
CONNECTIONS=${CONNECTIONS:-2}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:-}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -pl cli,benchmarks -am package -DskipTests
fi
load() { java $CLIENT_JAVA_OPTS -cp benchmarks/target/benchmarks.jar io.kubeai.benchmarks.webhook.WebhookLoad "$@"; }

work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

load selfsigned "$work"
load policy "$work/policy.yaml"
java $SERVER_JAVA_OPTS -jar cli/target/kubeai.jar webhook --host 127.0.0.1 --port "$PORT" \
  --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" --config "$work/policy.yaml" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  if curl -sfk "https://127.0.0.1:$PORT/readyz" >/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log"; exit 1; fi
  sleep 0.2
done
curl -sfk "https://127.0.0.1:$PORT/readyz" >/dev/null || { echo "the webhook did not become ready"; cat "$work/server.log"; exit 1; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
load --url "https://127.0.0.1:$PORT/mutate" --rates "$RATES" --seconds "$SECONDS_PER_RATE" \
  --warmup-seconds "$WARMUP" --connections "$CONNECTIONS" --server-pid "$server" ${LOAD_ARGS:-}
echo "server side (kubeai_webhook_review_duration_seconds, all reviews incl. warm-up):"
curl -sk "https://127.0.0.1:$PORT/metrics" | awk '
  /^kubeai_webhook_review_duration_seconds_sum\{endpoint="mutate"\}/ { s = $2 }
  /^kubeai_webhook_review_duration_seconds_count\{endpoint="mutate"\}/ { c = $2 }
  END { if (c > 0) printf "  %d reviews, mean %.1f us in the server\n", c, s / c * 1e6 }'
