#!/usr/bin/env bash
# The loader's SQL tier — schema migrations, RowBinary inserts with deduplication tokens, poison-row
# isolation and the reports — against current ClickHouse: chDB 26.9 (the ClickHouse engine as a
# library, PyPI `chdb-core`) behind scripts/chdb_http.py, the HTTP subset our ClickHouseClient speaks.
# Run by scripts/test.sh after the main run (the local stack's ClickHouse is Debian's 18.16, while
# docker-compose deploys a current one). Needs the built tests and the local Kafka.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/stack.sh env)"
echo "== the loader's schema, inserts and reports on current ClickHouse (chDB)" >&2
DATA=$(mktemp -d /tmp/freshet-chdb.XXXXXX)
coproc CHDB { exec .venv/bin/python scripts/chdb_http.py --port 0 --path "$DATA/db" --log "$DATA/requests.log" 2>&1; }
CHDB_CHILD=$CHDB_PID
trap 'kill "$CHDB_CHILD" 2>/dev/null || true; wait "$CHDB_CHILD" 2>/dev/null || true; rm -rf "$DATA"' EXIT
read -r -t 60 line <&"${CHDB[0]}" || { echo "chdb_http.py did not start" >&2; exit 1; }
echo "$line" >&2
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")
[[ -n $port ]] || { echo "chdb_http.py: $line" >&2; exit 1; }
FRESHET_TEST_CLICKHOUSE_URL=http://127.0.0.1:$port \
  swift test --skip-build --filter 'LoaderRoundTripTests|LoaderReportTests|LoaderPoisonRowTests'
# The tier must have run the current dialect (DateTime64, LowCardinality, deduplication tokens).
grep -q "insert_deduplication_token=" "$DATA/requests.log" \
  || { echo "no insert with a deduplication token reached chDB: the current dialect was not exercised" >&2; exit 1; }
echo "current ClickHouse tier: $(wc -l <"$DATA/requests.log") requests to chDB $(sed -n 's/.*(chDB \(.*\))/\1/p' <<<"$line")" >&2
