#!/usr/bin/env bash
# Tandem next to x11vnc on one Xvfb display and one scripted workload: bytes on the wire, frames,
# idle cost, keystroke-to-pixels. Usage: scripts/benchmark-remote.sh [SECONDS] (default 20).
# Needs `mvn install -DskipTests` first; installs Xvfb, x11vnc, xterm, xdotool and x11-apps if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for tool in Xvfb:xvfb x11vnc:x11vnc xterm:xterm xdotool:xdotool xlogo:x11-apps; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# A forked JVM, so the benchmark's own X clients start with the test class path.
mvn -B -q -f integration-tests/pom.xml test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath org.tandemrc.bench.RemoteBenchmark $PWD/launcher/target/tandem ${1:-20}"
