#!/usr/bin/env bash
# `make test`: install what is missing, start the local stack, build, and run every test tier
# (unit, C-wrapper and integration tests against the real Kafka, Redis and ClickHouse), then the
# loader's SQL tier once more against current ClickHouse (chDB 26.9 behind scripts/chdb_http.py),
# since the local stack's ClickHouse is Debian's 18.16 and docker-compose deploys a current one.
# Arguments go to `swift test` (e.g. --filter X); with arguments the current-ClickHouse tier is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/stack.sh up
eval "$(scripts/stack.sh env)"
swift build --build-tests
# Swift Testing runs the tests of one process in parallel; each integration test uses its own topic,
# key prefix and table, so the tiers share the one local stack safely.
swift test --skip-build "$@"
[[ $# -eq 0 ]] || exit 0

scripts/test-current-clickhouse.sh
