#!/usr/bin/env bash
# The communication devices side by side on loopback, one harness for all: tcp, udp, http (WebSocket),
# http (streaming) and terminal-server, and a plain JDK SocketChannel stream as an outside reference.
# Prints one row per device: connect time (connect() to open link + 1-byte echo; median and p95 over
# CONNECTS connects after warm-up), throughput of one link (MEGABYTES in 64 KiB messages honouring
# congested()/writable(), byte count and CRC32C checked; median of 3 runs), and both as ratios to tcp.
# Usage: scripts/benchmark-devices.sh [CONNECTS] [MEGABYTES]   (default 50 256)
# Needs `mvn install -DskipTests` first. Extra Maven options can be passed in MVN_ARGS, e.g.
# MVN_ARGS="-o -Dmaven.repo.local=$HOME/m2-other" scripts/benchmark-devices.sh 20 64
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -f integration-tests/pom.xml test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.tandemrc.bench.DeviceBenchmark -Dexec.args="${1:-50} ${2:-256}"
