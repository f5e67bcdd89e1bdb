#!/usr/bin/env bash
# Connect-and-authenticate time (median of warm runs) and the throughput of one encrypted channel
# next to a plain TCP stream on the same loopback. Usage: scripts/benchmark-connection.sh [CONNECTS] [MEGABYTES]
# Needs `mvn install -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -f integration-tests/pom.xml test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.tandemrc.bench.ConnectionBenchmark -Dexec.args="${1:-40} ${2:-1024}"
