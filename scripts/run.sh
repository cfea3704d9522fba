#!/usr/bin/env bash
# `make run`: install what is missing, start the local stack, create the topics, build and start the
# four services, and stop them all cleanly on Ctrl-C.
#
#   scripts/run.sh          the pipeline, with a live progress line from the services' /metrics
#   scripts/run.sh --demo   the same, then a burst of Snowplow Python tracker traffic and a report from
#                           ClickHouse (scripts/e2e/demo.py); when the pipeline already runs (another
#                           `make run`), only the burst and the report.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=false
[[ ${1:-} == --demo ]] && DEMO=true
COLLECTOR_PORT=${FRESHET_COLLECTOR_PORT:-8080}

say() { printf '\033[1m[run]\033[0m %s\n' "$*"; }

if $DEMO && curl -sf "http://127.0.0.1:9100/health" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:9103/health" >/dev/null 2>&1; then
  say "the pipeline already runs: sending the demo traffic to it"
  eval "$(scripts/stack.sh env)"
  exec .venv/bin/python scripts/e2e/demo.py --collector "http://127.0.0.1:$COLLECTOR_PORT"
fi

scripts/stack.sh up
eval "$(scripts/stack.sh env)"
# The local broker (Tansu) holds a new consumer group's first join for half the session timeout (23 s
# with librdkafka's 45 s default): a 6 s timeout lets the pipeline deliver its first events in seconds.
export FRESHET_KAFKA_PROPERTY=${FRESHET_KAFKA_PROPERTY:-session.timeout.ms=6000,heartbeat.interval.ms=1000}

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
helpers=()
stop_all() {
  trap - INT TERM HUP
  # The terminal may be gone (HUP): messages are best effort, stopping the services is not.
  for pid in "${helpers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  printf '\n' 2>/dev/null || true
  say "stopping the services (SIGTERM: each drains what is in flight and commits what was delivered)…" 2>/dev/null || true
  # Intake first: the collector stops accepting, the shipper ships what was written, then the rest.
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  say "stopped. The local stack keeps running: 'make stack-down' stops it." 2>/dev/null || true
  exit 0
}
# Ctrl-C, kill, or the terminal closing (the services run in their own sessions and would not get it).
trap stop_all INT TERM HUP

mkdir -p .stack/data/collector
# Each service in its own session (setsid): Ctrl-C reaches only this script, which then stops them in
# order — intake first — instead of the terminal signalling all four at once.
setsid "$BIN/collector" --port "$COLLECTOR_PORT" --log-directory .stack/data/collector \
  >>.stack/log/collector.log 2>&1 &
pids+=($!)
setsid "$BIN/shipper" --input '.stack/data/collector/*.log' --registry .stack/data/shipper-registry.json \
  >>.stack/log/shipper.log 2>&1 &
pids+=($!)
# The shipped enrichment configuration: referer, campaign, geo-IP, user agent, bot detection, fingerprint.
setsid "$BIN/enricher" --enrichments "${FRESHET_ENRICHMENTS:-$ROOT/deploy/enrichments}" >>.stack/log/enricher.log 2>&1 &
pids+=($!)
setsid "$BIN/loader" >>.stack/log/loader.log 2>&1 &
pids+=($!)

for port in 9100 9101 9102 9103; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 || { say "the service with admin port $port did not come up: see .stack/log/"; stop_all; }
done

say "the pipeline is up: collector → shipper → Kafka → enricher → Kafka → loader → ClickHouse"
cat <<INFO
  collector    http://127.0.0.1:$COLLECTOR_PORT  (GET /i, POST /com.snowplowanalytics.snowplow/tp2)
  ClickHouse   ${FRESHET_CLICKHOUSE_URL}  database 'default': events, bad_rows, analytics_* tables
  admin        collector :9100  shipper :9101  enricher :9102  loader :9103  (/health /ready /metrics)
  logs         .stack/log/{collector,shipper,enricher,loader}.log

  Point a Snowplow tracker at it. JavaScript tracker:
    snowplow('newTracker', 'sp', 'http://127.0.0.1:$COLLECTOR_PORT', { appId: 'my-site' });
  Python tracker (in .venv):
    from snowplow_tracker import Tracker, Emitter; from snowplow_tracker.events import PageView
    t = Tracker("sp", Emitter("http://127.0.0.1:$COLLECTOR_PORT"), app_id="my-site"); t.track(PageView("https://example.com/")); t.flush()
  By hand:
    curl 'http://127.0.0.1:$COLLECTOR_PORT/i?e=pv&url=https%3A%2F%2Fexample.com%2F&p=web&tv=curl-0'
  Query:
    curl ${FRESHET_CLICKHOUSE_URL} --data 'SELECT event, page_url, geo_country FROM events FINAL ORDER BY collector_tstamp DESC LIMIT 5'
  'make demo' in another terminal sends a burst of demo traffic and prints a report. Ctrl-C stops everything.

INFO
if $DEMO; then
  .venv/bin/python scripts/e2e/demo.py --collector "http://127.0.0.1:$COLLECTOR_PORT" || say "the demo failed (see above)"
fi
.venv/bin/python scripts/e2e/progress.py 9100 9101 9102 9103 &
helpers+=($!)
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then printf '\n'; say "a service exited (pid $pid): see .stack/log/"; stop_all; fi
  done
  sleep 1 & wait $! || true
done
