#!/usr/bin/env bash
# Throughput and CPU per event of the enricher's visitor profile stage (Sources/Enricher/Profile,
# RedisVisitorProfileStage): batches of 1000 enriched events through the stage (store update + contexts
# appended to derived_contexts) against the local Redis, next to the reference: redis-benchmark's
# raw rate on the same server (pipelined SET and EVALSHA of an empty script, i.e. Redis' own ceiling).
# Usage: bench/visitor-profile.sh [batches]   (default 200 → 200 000 events per run)
set -euo pipefail
cd "$(dirname "$0")/.."
batches="${1:-200}"
eval "$(scripts/stack.sh env)"
host="${FRESHET_TEST_REDIS_HOST:-127.0.0.1}"; port="${FRESHET_TEST_REDIS_PORT:-6379}"
redis-cli -h "$host" -p "$port" PING >/dev/null || { echo "Redis at $host:$port is not running (make stack-up)" >&2; exit 1; }

echo "== building (release, testable) =="
swift build -c release --build-tests -Xswiftc -enable-testing 2>&1 | tail -1
echo "load: $(uptime)"

echo "== reference: redis-benchmark (1 client, pipeline 1000) =="
sha=$(redis-cli -h "$host" -p "$port" SCRIPT LOAD "return 1")
rate() { tr '\r' '\n' | awk -F': ' '/requests per second/ {print int($2)}' | tail -1; }
set_rps=$(redis-benchmark -h "$host" -p "$port" -q -c 1 -P 1000 -n 2000000 SET freshet:bench:visitor-profile x | rate)
redis-cli -h "$host" -p "$port" DEL freshet:bench:visitor-profile >/dev/null
evalsha_rps=$(redis-benchmark -h "$host" -p "$port" -q -c 1 -P 1000 -n 1000000 EVALSHA "$sha" 0 | rate)
echo "redis SET requests_per_s=$set_rps; EVALSHA(return 1) requests_per_s=$evalsha_rps"

echo "== visitor profile store =="
output=$(FRESHET_BENCH_VISITOR_PROFILE="$batches" swift test -c release --skip-build --filter VisitorProfileBenchmark 2>&1)
echo "$output" | grep '^visitor_profile' || { echo "$output" >&2; exit 1; }
cpu=$(echo "$output" | awk -F'process_cpu_us_per_event=' '/visitor_profile_cpu batches_in_flight=1/ {split($2, a, " "); print a[1]}')
rcpu=$(echo "$output" | awk -F'redis_cpu_us_per_event=' '/visitor_profile_cpu batches_in_flight=1/ {split($2, a, " "); print a[1]}')
script=$(echo "$output" | awk -F'redis_script_us_per_event=' '/visitor_profile_cpu batches_in_flight=1/ {split($2, a, " "); print a[1]}')
one=$(echo "$output" | awk -F'events_per_s=' '/^visitor_profile batches_in_flight=1/ {split($2, a, " "); print a[1]}')
two=$(echo "$output" | awk -F'events_per_s=' '/^visitor_profile batches_in_flight=2/ {split($2, a, " "); print a[1]}')
echo "BENCH visitor_profile events_per_s=$one events_per_s_2_batches=$two process_cpu_us_per_event=$cpu redis_cpu_us_per_event=$rcpu redis_script_us_per_event=$script redis_set_per_s=$set_rps"
