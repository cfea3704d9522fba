#!/usr/bin/env bash
# make bench-e2e: sustained tracker load through all four services (release builds) on the local stack,
# on this run's own topics, groups, Redis prefix and ClickHouse database: accepted events/s, events
# loaded, events lost, collector → queryable latency p50/p99; ends with the BENCH line (bench/e2e.py).
#   DURATION=60 RATE=11000 BATCH=100 CONNECTIONS=4 bench/e2e.sh
# Needs the local stack (make stack-up). Run it on a quiet machine (uptime load < 1.5).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/stack.sh env)"
if [[ -z ${FRESHET_BIN_DIR:-} ]]; then
  for p in collector shipper enricher loader; do swift build -c release --product $p >/dev/null; done
fi
export FRESHET_TEST_BUILD_CONFIGURATION=release
exec .venv/bin/python bench/e2e.py
