#!/usr/bin/env bash
# Fails unless the librdkafka the dynamic linker finds (librdkafka.so.1) belongs to a package of version
# >= 2.2: older runtimes mis-read Kafka's tagged fields and the services refuse them at start
# (docs/deployment.md). Run by the Dockerfile's runtime stage so a wrong base image fails the build,
# not the first start.
set -euo pipefail
minimum=${1:-2.2}
path=$(ldconfig -p | awk '/librdkafka\.so\.1 /{print $NF; exit}')
if [[ -z $path ]]; then
  echo "check-librdkafka: librdkafka.so.1 is not installed" >&2
  exit 1
fi
package=""
for candidate in "$path" "$(realpath "$path")"; do
  package=$(dpkg -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1) && [[ -n $package ]] && break
done
if [[ -z $package ]]; then
  echo "check-librdkafka: no package owns $path" >&2
  exit 1
fi
version=$(dpkg-query -W -f='${Version}' "$package")
if ! dpkg --compare-versions "$version" ge "$minimum"; then
  echo "check-librdkafka: $package $version is older than $minimum; use a base image whose distro ships librdkafka >= $minimum (Ubuntu 24.04: 2.3.0, Debian 13: 2.8.0)" >&2
  exit 1
fi
echo "librdkafka runtime: $package $version"
