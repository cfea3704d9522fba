#!/usr/bin/env bash
# `make test`: install what is missing, start the local stack, build, and run every test tier
# (unit, C-wrapper and integration tests against the real Kafka, Redis and ClickHouse), then the
# loader's SQL tier once more against current ClickHouse (chDB 26.9 behind scripts/chdb_http.py),
# since the local stack's ClickHouse is Debian's 18.16 and docker-compose deploys a current one;
# then the end-to-end tests (scripts/test-e2e.sh).
# Arguments go to `swift test` (e.g. --filter X); with arguments only that Swift run happens.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/stack.sh up
eval "$(scripts/stack.sh env)"
swift build --build-tests
# Swift Testing runs the tests of one process in parallel; each integration test uses its own topic,
# key prefix and table, so the tiers share the one local stack safely.
# At most FRESHET_TEST_PARALLELISM tests at once (default 4; Swift Testing's own default has no bound): on
# two cores, dozens of Kafka, ClickHouse and service-process tests at once starved the shared broker and
# Redis past their clients' timeouts (1 s Redis commands, 5 s Kafka metadata), which failed tests that
# pass on a quiet machine. With 8, four of nine fresh-clone runs in session 5 still met a stall; 4 keeps
# the load near the core count at the cost of about a minute more.
swift test --skip-build --experimental-maximum-parallelization-width "${FRESHET_TEST_PARALLELISM:-4}" "$@"
[[ $# -eq 0 ]] || exit 0

# Then, when every test runs: the loader's SQL on current ClickHouse, and the end-to-end tests
# (tracker → four services → ClickHouse, and the fault test).
scripts/test-current-clickhouse.sh
scripts/test-e2e.sh
