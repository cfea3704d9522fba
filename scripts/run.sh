#!/usr/bin/env bash
# `make run`: install what is missing, start the local stack, create the topics, build and start the
# four services, and stop them all cleanly on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
scripts/stack.sh up
eval "$(scripts/stack.sh env)"

say() { printf '\033[1m[run]\033[0m %s\n' "$*"; }

TOPICS=${FRESHET_TOPICS:-raw:6 enriched:6 bad:3}
LD_LIBRARY_PATH=$ROOT/.stack/lib .venv/bin/python - "$FRESHET_KAFKA_BROKERS" $TOPICS <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
existing = set(admin.list_topics(timeout=10).topics)
wanted = [NewTopic(name, num_partitions=int(parts)) for name, parts in (t.split(":") for t in sys.argv[2:]) if name not in existing]
for name, future in (admin.create_topics(wanted).items() if wanted else []):
    future.result()
    print(f"[run] created topic {name}")
PY

say "building the services (release)…"
swift build -c release --product collector >/dev/null
for p in shipper enricher loader; do swift build -c release --product $p >/dev/null; done
BIN=$ROOT/.build/release
mkdir -p .stack/log .stack/run

pids=()
stop_all() {
  say "stopping the services (SIGTERM, they drain what is in flight)…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  say "stopped. The local stack keeps running: 'make stack-down' stops it."
}
trap stop_all INT TERM

mkdir -p .stack/data/collector
"$BIN/collector" --port "${FRESHET_COLLECTOR_PORT:-8080}" --log-directory .stack/data/collector \
  >>.stack/log/collector.log 2>&1 &
pids+=($!)
"$BIN/shipper" --input '.stack/data/collector/*.log' --registry .stack/data/shipper-registry.json \
  >>.stack/log/shipper.log 2>&1 &
pids+=($!)
for service in enricher loader; do
  "$BIN/$service" >>".stack/log/$service.log" 2>&1 &
  pids+=($!)
done
say "collector: http://127.0.0.1:${FRESHET_COLLECTOR_PORT:-8080} — point a Snowplow tracker at it (GET /i, POST /com.snowplowanalytics.snowplow/tp2)"
say "admin endpoints: collector :9100, shipper :9101, enricher :9102, loader :9103 (/health /ready /metrics)"
say "logs: .stack/log/{collector,shipper,enricher,loader}.log — Ctrl-C stops everything."
wait "${pids[@]}"
