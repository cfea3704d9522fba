#!/usr/bin/env bash
# make bench-loader: N realistic enriched events (bench/enriched_events.py, ~2 KB each) are produced to a
# fresh topic first; then, in the same run,
#   1. the loader (release build) loads them into a fresh database: time from partition assignment until
#      ClickHouse accepted all N rows (its /metrics), and its peak RSS;
#   2. clickhouse-client inserts the same rows (exported from that table as TabSeparated) from a file
#      into another fresh database with the identical schema (same migrations, same materialized views).
# Prints rows/s of each and ends with the BENCH line.
#   N=300000 PARTITIONS=2 bench/loader.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-300000}
PARTITIONS=${PARTITIONS:-2}
eval "$(scripts/stack.sh env)"
PY=$ROOT/.venv/bin/python
CH_PORT=${FRESHET_CLICKHOUSE_TCP_PORT:-9000}
RUN=bench_loader_$$_$RANDOM
TOPIC=${RUN}_enriched BAD=${RUN}_bad DB=${RUN} REF=${RUN}_ref
WORK=$(mktemp -d /tmp/freshet-bench-loader.XXXXXX)
LOADER_PID=
cleanup() {
  [[ -n $LOADER_PID ]] && kill "$LOADER_PID" 2>/dev/null || true
  clickhouse-client --port "$CH_PORT" -q "DROP DATABASE IF EXISTS $DB" || true
  clickhouse-client --port "$CH_PORT" -q "DROP DATABASE IF EXISTS $REF" || true
  "$PY" - "$TOPIC" "$BAD" <<'PY' || true
import sys
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": "127.0.0.1:9092"})
for f in admin.delete_topics(sys.argv[1:]).values():
    try: f.result()
    except Exception: pass
PY
  rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product loader >/dev/null
LOADER=$ROOT/.build/release/loader

"$PY" - "$TOPIC" "$BAD" "$PARTITIONS" <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": "127.0.0.1:9092"})
for f in admin.create_topics([NewTopic(sys.argv[1], int(sys.argv[3]), 1), NewTopic(sys.argv[2], 1, 1)]).values():
    f.result()
PY
echo "producing $N enriched events to $TOPIC ($PARTITIONS partitions)…" >&2
"$PY" bench/enriched_events.py --count "$N" --output "$WORK/events.tsv" --produce "$TOPIC"
"$LOADER" migrate --clickhouse-database "$DB" --log-level warning >/dev/null
"$LOADER" migrate --clickhouse-database "$REF" --log-level warning >/dev/null

metric() { # sum of a metric family's samples matching a label filter
  curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | awk -v name="$1" -v filter="$2" '$1 ~ "^"name"[{ ]" && index($1, filter) {s += $2} END {printf "%d\n", s}'
}

echo "== loader" >&2
"$LOADER" ${LOADER_ARGS:-} --enriched-topic "$TOPIC" --bad-topic "$BAD" --group-id "$RUN" --clickhouse-database "$DB" \
  --admin-port 0 --admin-host 127.0.0.1 --kafka-property session.timeout.ms=6000,heartbeat.interval.ms=1000 \
  >"$WORK/loader.log" 2>&1 &
LOADER_PID=$!
for _ in $(seq 1 600); do grep -q "admin endpoints listening" "$WORK/loader.log" && break; sleep 0.05; done
ADMIN_PORT=$(grep -o 'address=[^ ]*' "$WORK/loader.log" | head -1 | sed 's/.*://' || true)
[[ -n $ADMIN_PORT ]] || { cat "$WORK/loader.log" >&2; echo "the loader did not start" >&2; exit 1; }
for _ in $(seq 1 1200); do grep -q "Kafka partitions assigned" "$WORK/loader.log" && break; sleep 0.01; done
cpu_ticks() { awk '{print $14 + $15}' "/proc/${1:-$LOADER_PID}/stat"; }  # user + system, in clock ticks
CH_PID=$(ss -Hltnp "sport = :${FRESHET_CLICKHOUSE_HTTP_PORT:-8123}" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
per_row() { python3 -c "print(f'{($2 - $1) / $(getconf CLK_TCK) * 1e6 / $N:.1f}')"; }  # µs of CPU per row
CPU_START=$(cpu_ticks)
CH_START=$(cpu_ticks "$CH_PID")
START=$(date +%s.%N)
while :; do
  LOADED=$(metric freshet_records_sent_total 'sink="clickhouse_events"')
  (( LOADED >= N )) && break
  kill -0 "$LOADER_PID" 2>/dev/null || { cat "$WORK/loader.log" >&2; echo "the loader exited" >&2; exit 1; }
  sleep 0.05
done
END=$(date +%s.%N)
CPU_END=$(cpu_ticks)
CH_END=$(cpu_ticks "$CH_PID")
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$LOADER_PID/status")
kill -TERM "$LOADER_PID"; wait "$LOADER_PID" || true; LOADER_PID=
ROWS=$(clickhouse-client --port "$CH_PORT" -q "SELECT count() FROM $DB.events")
LOADER_RPS=$(python3 -c "print(int($N / ($END - $START)))")

echo "== clickhouse-client (same rows from a TabSeparated file)" >&2
clickhouse-client --port "$CH_PORT" -q "SELECT * FROM $DB.events FORMAT TabSeparated" >"$WORK/rows.tsv"
CH_REF_START=$(cpu_ticks "$CH_PID")
REF_START=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "$WORK/client.time" clickhouse-client --port "$CH_PORT" -q "INSERT INTO $REF.events FORMAT TabSeparated" <"$WORK/rows.tsv"
REF_END=$(date +%s.%N)
CH_REF_END=$(cpu_ticks "$CH_PID")
REF_ROWS=$(clickhouse-client --port "$CH_PORT" -q "SELECT count() FROM $REF.events")
REF_RPS=$(python3 -c "print(int($REF_ROWS / ($REF_END - $REF_START)))")

RATIO=$(python3 -c "print(f'{$LOADER_RPS / $REF_RPS:.2f}')")
RSS_MB=$(python3 -c "print(f'{$RSS_KB / 1024:.1f}')")
CLIENT_CPU=$(python3 -c "u, s = open('$WORK/client.time').read().split()[-2:]; print(f'{(float(u) + float(s)) * 1e6 / $N:.1f}')")
printf 'loader:            %8d rows/s  (%d rows, %.2f s from assignment, peak RSS %s MB; CPU µs per row: loader %s, clickhouse-server %s)\n' "$LOADER_RPS" "$ROWS" \
  "$(python3 -c "print($END - $START)")" "$RSS_MB" "$(per_row "$CPU_START" "$CPU_END")" "$(per_row "$CH_START" "$CH_END")"
printf 'clickhouse-client: %8d rows/s  (%d rows, %.2f s, %s MB file; CPU µs per row: clickhouse-client %s, clickhouse-server %s)\n' "$REF_RPS" "$REF_ROWS" \
  "$(python3 -c "print($REF_END - $REF_START)")" "$(( $(stat -c %s "$WORK/rows.tsv") / 1048576 ))" "$CLIENT_CPU" "$(per_row "$CH_REF_START" "$CH_REF_END")"
echo "BENCH loader ratio=$RATIO rows_per_s=$LOADER_RPS reference_rows_per_s=$REF_RPS rss_mb=$RSS_MB"
