#!/usr/bin/env bash
# `make test`: install what is missing, start the local stack, build, and run every test tier
# (unit, C-wrapper and integration tests against the real Kafka, Redis and ClickHouse).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/stack.sh up
eval "$(scripts/stack.sh env)"
swift build --build-tests
# Swift Testing runs the tests of one process in parallel; each integration test uses its own topic,
# key prefix and table, so the tiers share the one local stack safely.
swift test --skip-build "$@"
# The end-to-end tests (tracker → four services → ClickHouse, and the fault test) when every test runs.
if [[ $# -eq 0 ]]; then scripts/test-e2e.sh; fi
