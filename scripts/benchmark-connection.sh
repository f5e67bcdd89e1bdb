#!/usr/bin/env bash
# Connect-and-authenticate time (median of warm runs) and the throughput of one encrypted channel
# next to a plain TCP stream on the same loopback. Usage: scripts/benchmark-connection.sh [CONNECTS] [MEGABYTES]
# Needs `mvn install -DskipTests` first. Extra Maven options can be passed in MVN_ARGS, as for
# benchmark-devices.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -f integration-tests/pom.xml test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.tandemrc.bench.ConnectionBenchmark -Dexec.args="${1:-40} ${2:-1024}"
