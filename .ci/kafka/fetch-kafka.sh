#!/usr/bin/env bash
# Puts the Kafka broker's jars (Maven Central, see pom.xml) into
# ${WGS_CACHE_DIR:-~/.cache/wgs}/kafka/lib for packages/connectors' startKafka().
# Needs Java 17 and Maven; a no-op when the jars are there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${WGS_CACHE_DIR:-$HOME/.cache/wgs}/kafka"
if ls "$dest/lib"/kafka_2.13-3.9.1.jar "$dest/lib"/kafka-tools-3.9.1.jar >/dev/null 2>&1; then exit 0; fi
echo "setup: fetching the Kafka 3.9.1 broker jars (Maven Central)"
mkdir -p "$dest"
work="$(mktemp -d -t wgs-kafka.XXXXXX)"
cp "$here/pom.xml" "$work/"
# Maven's output only when it fails.
if ! (cd "$work" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$work/lib" >"$work/mvn.log" 2>&1); then
  cat "$work/mvn.log" >&2
  exit 1
fi
rm -rf "$dest/lib" && mv "$work/lib" "$dest/lib"
rm -rf "$work"
