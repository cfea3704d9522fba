#!/usr/bin/env bash
# make bench-enricher: N pre-produced raw payloads (bench/enricher_payloads.py: a realistic mix of event
# types, user agents, referers and visitors) enriched with every enrichment of bench/enrichments
# enabled, (1) by the service from a fresh Kafka topic on the local broker and (2) by the offline mode
# from a log file. Prints events/s and peak RSS of each and ends with the BENCH line. The offline rate
# counts from its process start; the service's `events_per_s` from the moment its consumer group assigned
# it its partitions (as kafka-consumer-perf-test leaves the group join out of its rate); the rate from
# process start and the steady rate after the first output are printed above the BENCH line.
#   N=200000 bench/enricher.sh
# Needs the local stack (make stack-up) and the enrichment data (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-200000}
WORK=$(mktemp -d /tmp/freshet-bench-enricher.XXXXXX)
ENRICHER_PID=
cleanup() {
  [[ -n $ENRICHER_PID ]] && kill "$ENRICHER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
eval "$(scripts/stack.sh env)"
export LD_LIBRARY_PATH=${FRESHET_LIBRDKAFKA_DIR:-$ROOT/.stack/lib}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PY=.venv/bin/python
ASSETS=${ASSETS:-.stack/data/enrichments}
for f in referers.json GeoLite2-City.mmdb; do
  [[ -s $ASSETS/$f ]] || { echo "missing $ASSETS/$f: run scripts/bootstrap.sh" >&2; exit 1; }
done
BROKERS=${FRESHET_KAFKA_BROKERS:-127.0.0.1:${FRESHET_KAFKA_PORT:-9092}}

# ENRICHER_BIN: another enricher executable to measure (A/B comparisons); default: this checkout's.
if [[ -n ${ENRICHER_BIN:-} ]]; then BIN=$ENRICHER_BIN; else
  swift build -c release --product enricher >/dev/null
  BIN=.build/release/enricher
fi

echo "generating $N payloads"
$PY bench/enricher_payloads.py "$N" "$WORK/payloads.log" 1

# Every enrichment Freshet has, enabled (deploy/enrichments with the disabled ones switched on).
mkdir -p "$WORK/enrichments"
for f in deploy/enrichments/*.json; do sed 's/"enabled": false/"enabled": true/' "$f" > "$WORK/enrichments/$(basename "$f")"; done

SUFFIX=$(date +%s)$$
# Visitor profiles on in both modes, under this run's own key prefix in the shared Redis (short TTLs;
# the keys are deleted after each mode, so the service does not work over the offline run's keys). The
# prefix is about as long as the default `freshet:profile:` (Redis hashes and compares it in every key).
REDIS_HOST=${FRESHET_REDIS_HOST:-127.0.0.1}; REDIS_PORT=${FRESHET_REDIS_PORT:-6379}
PREFIX=bench:$SUFFIX:
PROFILE_ARGS=(--redis-host "$REDIS_HOST" --redis-port "$REDIS_PORT" --profile-ttl-days 1 --duplicate-window-seconds 3600)
# (keys hold binary event ids, so they are deleted inside Redis rather than through a shell pipe)
drop_keys() {
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" EVAL "local c = '0' repeat local r = redis.call('SCAN', c, 'MATCH', ARGV[1], 'COUNT', 5000) c = r[1] for _, k in ipairs(r[2]) do redis.call('UNLINK', k) end until c == '0'" 0 "$PREFIX*" >/dev/null || true
}
trap 'cleanup; drop_keys' EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

peak_rss_mb() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }

# --- offline mode ---------------------------------------------------------------------------------
start=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o "$WORK/offline.rss" "$BIN" file --input "$WORK/payloads.log" --output "$WORK/out.tsv" --bad "$WORK/bad.jsonl" \
  --enrichments "$WORK/enrichments" --enrichment-assets "$ASSETS" --log-level warning \
  --visitor-profile --profile-key-prefix "${PREFIX}o:" "${PROFILE_ARGS[@]}" > "$WORK/offline.out"
end=$(date +%s.%N)
EVENTS=$(( $(wc -l < "$WORK/out.tsv") + $(wc -l < "$WORK/bad.jsonl") ))
OFFLINE_S=$(echo "$end - $start" | bc -l)
OFFLINE_EPS=$(echo "$EVENTS / $OFFLINE_S" | bc)
read -r OFFLINE_KB OFFLINE_USER OFFLINE_SYS < "$WORK/offline.rss"
OFFLINE_RSS=$(( OFFLINE_KB / 1024 ))
OFFLINE_CPU_US=$(echo "($OFFLINE_USER + $OFFLINE_SYS) * 1000000 / $EVENTS" | bc)
echo "offline: $EVENTS events ($(wc -l < "$WORK/bad.jsonl") bad) in ${OFFLINE_S}s = $OFFLINE_EPS events/s, ${OFFLINE_CPU_US} µs CPU/event, peak RSS ${OFFLINE_RSS} MB"
drop_keys

# --- service ---------------------------------------------------------------------------------------
# session.timeout.ms: Tansu holds a new group's first join for about half the session timeout (23 s
# with librdkafka's 45 s default), which would dominate a short run; fetch.wait.max.ms: the broker
# answers a fetch at once instead of waiting up to 500 ms for more data.
RAW=bench_raw_$SUFFIX; GOOD=bench_enriched_$SUFFIX; BAD=bench_bad_$SUFFIX
$PY - "$BROKERS" "$RAW" "$GOOD" "$BAD" "$WORK/payloads.log" <<'PY'
import base64, sys
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
brokers, raw, good, bad, path = sys.argv[1:]
admin = AdminClient({"bootstrap.servers": brokers})
for f in admin.create_topics([NewTopic(t, num_partitions=6, replication_factor=1) for t in (raw, good, bad)]).values():
    f.result()
p = Producer({"bootstrap.servers": brokers, "linger.ms": 20, "compression.type": "lz4", "queue.buffering.max.messages": 1000000})
with open(path) as lines:
    for line in lines:
        while True:
            try:
                p.produce(raw, base64.b64decode(line)); break
            except BufferError:
                p.poll(0.1)
p.flush()
PY
echo "produced $N raw payloads to $RAW"

ADMIN_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s.%N)
"$BIN" --admin-port "$ADMIN_PORT" --admin-host 127.0.0.1 --kafka-brokers "$BROKERS" --raw-topic "$RAW" --enriched-topic "$GOOD" \
  --bad-topic "$BAD" --group-id "bench_$SUFFIX" --enrichments "$WORK/enrichments" --enrichment-assets "$ASSETS" --log-level warning \
  --profile-key-prefix "${PREFIX}s:" "${PROFILE_ARGS[@]}" \
  --kafka-property session.timeout.ms=6000 --kafka-property heartbeat.interval.ms=1000 --kafka-property fetch.wait.max.ms=5 \
  ${SERVICE_ARGS:-} 2> "${SERVICE_LOG:-$WORK/service.log}" &
ENRICHER_PID=$!
# One poller process over one kept-alive connection, every 0.1 s: a curl and an awk per poll cost ~2 % of
# this 2-core machine, which the enricher would otherwise lose to its own measurement. It prints the
# time of the last poll before the group gave the enricher its partitions (`freshet_kafka_assigned_partitions`
# still 0: at or before the assignment, so the poll interval can only lower the rate below), the time and
# count of the first output seen, and the time the last event was sent (wall clock, as `start`). An
# executable without that gauge (ENRICHER_BIN from before session 8) is timed from its process start.
POLL=$($PY - "$ADMIN_PORT" "$EVENTS" "$ENRICHER_PID" "$start" <<'PY'
import http.client, os, sys, time
port, events, pid, started = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
def scrape(conn):
    conn.request("GET", "/metrics")
    total, assigned, seen = 0, 0, False
    for line in conn.getresponse().read().decode().splitlines():
        if line.startswith("freshet_records_sent_total") and 'service="enricher"' in line \
                and ('sink="enriched"' in line or 'sink="bad"' in line):
            total += int(float(line.rsplit(" ", 1)[1]))
        elif line.startswith("freshet_kafka_assigned_partitions{"):
            assigned += int(float(line.rsplit(" ", 1)[1]))
            seen = True
    return total, assigned, seen
conn, first, unassigned, gauge = None, None, started, False
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        print("died"); sys.exit(0)
    before = time.time()
    try:
        conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        n, assigned, seen = scrape(conn)
        gauge = gauge or seen
    except (OSError, http.client.HTTPException):
        conn, n, assigned = None, 0, 0
    now = time.time()
    if first is None and assigned == 0 and n == 0:
        unassigned = before
    if first is None and n > 0:
        first = (now, n)
    if n >= events:
        print(f"{unassigned if gauge else started:.6f} {first[0]:.6f} {first[1]} {now:.6f}"); sys.exit(0)
    time.sleep(0.1)
PY
)
[[ $POLL == died ]] && { echo "enricher died:"; tail -20 "$WORK/service.log"; exit 1; }
read -r ASSIGNED_T FIRST_T FIRST_N end <<< "$POLL"
SERVICE_RSS=$(peak_rss_mb "$ENRICHER_PID")
SERVICE_CPU_US=$(echo "$(cpu_ticks "$ENRICHER_PID") * 1000000 / $TICK / $EVENTS" | bc)
SERVICE_FAULTS=$(awk -v n="$EVENTS" '{printf "%.2f", $10 / n}' "/proc/$ENRICHER_PID/stat")
DUPS=$(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null | awk '/^freshet_enricher_duplicates_total/ {s+=$2} END {printf "%d", s}')
kill -TERM "$ENRICHER_PID"; wait "$ENRICHER_PID" || true; ENRICHER_PID=
SERVICE_S=$(echo "$end - $start" | bc -l)
FROM_START_EPS=$(echo "$EVENTS / $SERVICE_S" | bc)
JOIN_S=$(echo "$ASSIGNED_T - $start" | bc -l)
# The service's rate counts from the moment its consumer group gave it its partitions, as Kafka's own
# kafka-consumer-perf-test reports fetch.nMsg.sec without the group join (rebalance.time.ms): a new
# group's first join is held by the broker (Tansu: half the session timeout, 3 s here; Kafka:
# group.initial.rebalance.delay.ms, 3 s by default), which happens once in a long-running service but
# would be a third of this run. Start-up (loading the enrichments) overlaps the join.
SERVICE_EPS=$(echo "$EVENTS / ($end - $ASSIGNED_T)" | bc)
echo "service: $EVENTS events in ${SERVICE_S}s from process start = $FROM_START_EPS events/s, ${SERVICE_CPU_US} µs CPU/event, ${SERVICE_FAULTS} page faults/event, peak RSS ${SERVICE_RSS} MB"
printf 'service from partition assignment (%.2f s after start: start-up and group join excluded): %d events/s\n' "$JOIN_S" "$SERVICE_EPS"
[[ -n $FIRST_T ]] && awk -v e="$end" -v f="$FIRST_T" -v n="$EVENTS" -v m="$FIRST_N" 'BEGIN { if (e > f) printf "service after its first output (steady state): %d events/s\n", (n - m) / (e - f) }'
echo "visitor profiles (Redis): on in both modes; duplicates flagged by the service: $DUPS"
$PY - "$BROKERS" "$RAW" "$GOOD" "$BAD" <<'PY' || true
import sys
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
for f in admin.delete_topics(sys.argv[2:]).values():
    try: f.result()
    except Exception: pass
PY
RSS=$(( SERVICE_RSS > OFFLINE_RSS ? SERVICE_RSS : OFFLINE_RSS ))
echo "BENCH enricher events_per_s=$SERVICE_EPS offline_events_per_s=$OFFLINE_EPS rss_mb=$RSS"
