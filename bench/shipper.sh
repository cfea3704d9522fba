#!/usr/bin/env bash
# make bench-shipper: one pre-written file of N collector-payload lines shipped to the local broker by
# the shipper and, in the same run, by a reference Python confluent-kafka producer that uses the same
# librdkafka (the wheel's 2.16, which the shipper also loads) and the same producer properties, and does
# the same work per line (base64-decode, take the network user id as key). Prints lines/s of each and
# the shipper's peak RSS, and ends with the BENCH line.
#   LINES=1000000 bench/shipper.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LINES=${LINES:-1000000}
BROKERS=${FRESHET_KAFKA_BROKERS:-127.0.0.1:9092}
PYTHON=$ROOT/.venv/bin/python
WORK=$(mktemp -d /tmp/freshet-bench-shipper.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export LD_LIBRARY_PATH=$ROOT/.stack/lib:/work/main/.stack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

swift build -c release --product shipper >/dev/null
mkdir -p "$WORK/in"
FILE="$WORK/in/bench.20260101T000000.000Z.log"  # a finished collector file
"$PYTHON" bench/shipper_payloads.py "$FILE" "$LINES"
SUFFIX=$(date +%s%N)
SHIPPER_TOPIC=bench_shipper_$SUFFIX REFERENCE_TOPIC=bench_reference_$SUFFIX BAD_TOPIC=bench_bad_$SUFFIX
# The producer properties both use: the shipper's defaults (KafkaProducerConfiguration).
PROPERTIES='{"acks":"all","enable.idempotence":"true","compression.codec":"lz4","linger.ms":"5","batch.num.messages":"10000","queue.buffering.max.messages":"100000","queue.buffering.max.kbytes":"1048576","message.timeout.ms":"30000"}'

"$PYTHON" - "$BROKERS" "$SHIPPER_TOPIC" "$REFERENCE_TOPIC" "$BAD_TOPIC" <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
for topic, future in admin.create_topics([NewTopic(t, 3, 1) for t in sys.argv[2:]]).items(): future.result()
PY
cat "$FILE" >/dev/null  # both runs read from the page cache

echo "== shipper ($LINES lines, $(du -m "$FILE" | cut -f1) MB)" >&2
START=$(date +%s.%N)
"$ROOT/.build/release/shipper" --input "$WORK/in/*.log" --topic "$SHIPPER_TOPIC" --bad-topic "$BAD_TOPIC" \
  --registry "$WORK/registry.json" --admin-port 0 --admin-host 127.0.0.1 --finished-file-retention never \
  --kafka-brokers "$BROKERS" --log-level info >"$WORK/shipper.log" 2>&1 &
SHIPPER_PID=$!
PORT=""
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/.*admin endpoints listening address=[^ ]*:\([0-9]*\).*/\1/p' "$WORK/shipper.log" | head -1)
  [[ -n $PORT ]] && break; sleep 0.05
done
[[ -n $PORT ]] || { cat "$WORK/shipper.log"; exit 1; }
while true; do  # until every line is acknowledged (the metric counts Kafka's acknowledgements)
  SENT=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^freshet_records_sent_total/ {print $2}')
  [[ ${SENT:-0} -ge $LINES ]] && break
  kill -0 $SHIPPER_PID 2>/dev/null || { cat "$WORK/shipper.log"; exit 1; }
  sleep 0.02
done
END=$(date +%s.%N)
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SHIPPER_PID/status")
kill -TERM $SHIPPER_PID; wait $SHIPPER_PID || true
SHIPPER_SECONDS=$(python3 -c "print($END - $START)")

echo "== reference: Python confluent-kafka producer" >&2
REFERENCE_SECONDS=$("$PYTHON" - "$BROKERS" "$REFERENCE_TOPIC" "$FILE" "$PROPERTIES" <<'PY'
import binascii, confluent_kafka, json, struct, sys, time
brokers, topic, path, properties = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
properties["bootstrap.servers"] = brokers
properties["client.id"] = "freshet-bench-reference"
start = time.time()
producer = confluent_kafka.Producer(properties)
delivered = [0]
def report(error, message):
    if error is None: delivered[0] += 1
NUID = b"\x0b\x01\x9a"  # Thrift field header: string, id 410 (networkUserId)
count = 0
with open(path, "rb") as f:
    for line in f:
        value = binascii.a2b_base64(line)
        at = value.rfind(NUID)
        key = None
        if at >= 0:
            (length,) = struct.unpack_from(">i", value, at + 3)
            key = value[at + 7: at + 7 + length]
        while True:
            try:
                producer.produce(topic, value, key, on_delivery=report); break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
        count += 1
producer.flush(60)
assert delivered[0] == count, (delivered[0], count)
print(time.time() - start)
PY
)
"$PYTHON" - "$BROKERS" "$SHIPPER_TOPIC" "$REFERENCE_TOPIC" "$BAD_TOPIC" <<'PY' || true
import sys
from confluent_kafka.admin import AdminClient
AdminClient({"bootstrap.servers": sys.argv[1]}).delete_topics(sys.argv[2:])
PY

read -r RATE REFERENCE_RATE RATIO RSS_MB < <(python3 -c "
s, r = $LINES / $SHIPPER_SECONDS, $LINES / $REFERENCE_SECONDS
print(int(s), int(r), f'{s / r:.2f}', f'{$RSS_KB / 1024:.1f}')")
printf 'shipper:   %10d lines/s  (%.2f s)  peak RSS %s MB\n' "$RATE" "$SHIPPER_SECONDS" "$RSS_MB"
printf 'reference: %10d lines/s  (%.2f s)  Python confluent-kafka, same librdkafka and properties\n' "$REFERENCE_RATE" "$REFERENCE_SECONDS"
echo "BENCH shipper ratio=$RATIO lines_per_s=$RATE reference_lines_per_s=$REFERENCE_RATE rss_mb=$RSS_MB"
