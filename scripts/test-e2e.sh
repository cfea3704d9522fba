#!/usr/bin/env bash
# The end-to-end tests, run by `make test` after the Swift tests (or alone: `make test-e2e`, after a
# build): the Python tracker against the four built executables on the local stack
# (scripts/e2e/test_tracker.py), then the fault test on private Kafka/Redis/ClickHouse servers it
# starts itself (scripts/e2e/test_faults.py). FRESHET_TEST_BUILD_CONFIGURATION picks the build (debug).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/stack.sh env)"
status=0
for test in scripts/e2e/test_tracker.py scripts/e2e/test_faults.py; do
  start=$SECONDS
  if .venv/bin/python "$test"; then echo "[e2e] PASS $test ($((SECONDS - start))s)"; else echo "[e2e] FAIL $test ($((SECONDS - start))s)"; status=1; fi
done
exit $status
