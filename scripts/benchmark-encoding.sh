#!/usr/bin/env bash
# Encoding cost of a full 1920x1080 screen change on one thread (tile diff + tile encoding + zstd),
# and its size, for a text desktop and one with a photo-like region. Usage: scripts/benchmark-encoding.sh [RUNS]
# Needs `mvn install -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -f bundles/org.tandemrc.session.remotecontrol/pom.xml test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.tandemrc.session.remotecontrol.internal.EncodingBenchmark -Dexec.args="${1:-30}"
