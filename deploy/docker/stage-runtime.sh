#!/usr/bin/env bash
# Stages what Freshet's runtime image needs from a build (used by the Dockerfile's build stage; also run
# by the deployment tests against a local build):
#
#   stage-runtime.sh BIN_DIR STAGING_DIR SWIFT_LIB_DIR PRODUCT...
#
#   STAGING_DIR/bin/       the executables, any SwiftPM resource bundles beside them, and the Swift
#                          backtracer when the toolchain has one
#   STAGING_DIR/swift/     the Swift runtime libraries (found under SWIFT_LIB_DIR) the executables load
#   STAGING_DIR/packages   one Debian/Ubuntu package name per line: the owners of every other shared
#                          library the executables load (librdkafka, hiredis, libcurl, zlib, their own
#                          dependencies, libc…), to install in the runtime stage
#
# Fails when a library cannot be found, or when a library's owning package cannot be determined.
set -euo pipefail
[[ $# -ge 4 ]] || { echo "usage: $0 BIN_DIR STAGING_DIR SWIFT_LIB_DIR PRODUCT..." >&2; exit 2; }
bin=$1 staging=$2 swift_lib=$(realpath "$3")
shift 3
mkdir -p "$staging/bin" "$staging/swift"

for product in "$@"; do
  cp "$bin/$product" "$staging/bin/"
done
find -L "$bin/" -maxdepth 1 -name '*.resources' -exec cp -R {} "$staging/bin/" \;
backtracer=$(dirname "$(dirname "$swift_lib")")/libexec/swift/linux/swift-backtrace-static
[[ -x $backtracer ]] && cp "$backtracer" "$staging/bin/"

# `ldd` lists the whole closure (libraries of libraries), one `name => /path (address)` line each.
listing=$(for product in "$@"; do ldd "$bin/$product"; done)
if grep -q 'not found' <<<"$listing"; then
  echo "$listing" | grep 'not found' >&2
  echo "stage-runtime: some shared libraries cannot be found" >&2
  exit 1
fi

# The package owning a library: dpkg records the path a package ships, which may be the /lib or the
# /usr/lib spelling of a merged /usr, or the file a soname link points to.
owner() {
  local library=$1 found
  for candidate in "$library" "$(realpath "$library")" "*/$(basename "$library")"; do
    found=$(dpkg -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1) || true
    [[ -n $found ]] && { echo "$found"; return 0; }
  done
  echo "stage-runtime: no package owns $library" >&2
  return 1
}

: >"$staging/packages"
while read -r library; do
  if [[ $(realpath "$library") == "$swift_lib"/* ]]; then
    cp -L "$library" "$staging/swift/"
  else
    owner "$library" >>"$staging/packages"
  fi
done < <(awk '$2 == "=>" && $3 ~ /^\// {print $3}' <<<"$listing" | sort -u)
sort -u -o "$staging/packages" "$staging/packages"

echo "runtime packages: $(tr '\n' ' ' <"$staging/packages")"
echo "swift runtime libraries: $(ls "$staging/swift" | tr '\n' ' ')"
