#!/usr/bin/env bash
# Puts GeoLite2-City.mmdb (MaxMind GeoLite2 City, 2018-07 build, CC BY-SA 4.0, "This product includes
# GeoLite2 data created by MaxMind, available from https://www.maxmind.com") into the folder given as the
# first argument, for the enricher's IP lookups enrichment.
#
# The database comes from the PyPI sdist maxminddb-geolite2==2018.703 (~26 MB), installed into the
# project virtualenv (.venv, or the interpreter named by FRESHET_PYTHON) when it is not there yet.
# The file is copied under a temporary name and renamed into place, so an enricher watching the folder
# never reads a half-written database.
#
# Usage: scripts/fetch-geolite2.sh DEST_DIR
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DEST_DIR" >&2
    exit 2
fi
dest=$1
root=$(cd "$(dirname "$0")/.." && pwd)
python=${FRESHET_PYTHON:-$root/.venv/bin/python}
package="maxminddb-geolite2==2018.703"

if [ ! -x "$python" ]; then
    echo "error: no Python interpreter at $python (create the project virtualenv first, or set FRESHET_PYTHON)" >&2
    exit 1
fi

locate() {
    "$python" - <<'PY'
import os, sys
try:
    import _maxminddb_geolite2
except ImportError:
    sys.exit(1)
path = os.path.join(os.path.dirname(_maxminddb_geolite2.__file__), "GeoLite2-City.mmdb")
if not os.path.isfile(path):
    sys.exit(1)
print(path)
PY
}

if ! source_file=$(locate); then
    echo "Installing $package into $("$python" -c 'import sys; print(sys.prefix)') ..." >&2
    "$python" -m pip install --quiet "$package"
    source_file=$(locate) || { echo "error: $package installed but GeoLite2-City.mmdb not found in it" >&2; exit 1; }
fi

mkdir -p "$dest"
tmp="$dest/.GeoLite2-City.mmdb.$$"
trap 'rm -f "$tmp"' EXIT
cp "$source_file" "$tmp"
mv -f "$tmp" "$dest/GeoLite2-City.mmdb"
trap - EXIT
echo "$dest/GeoLite2-City.mmdb ($(wc -c < "$dest/GeoLite2-City.mmdb") bytes, from $package)"
