#!/usr/bin/env bash
# The browser console's remote screen next to the CLI Guest on benchmark-remote.sh's display and
# workload: Host to Guest bytes, console to browser bytes, their ratio, and keystroke-to-pixels in the
# CLI Guest and in the browser (Debian's Chromium through playwright-core, as the console's browser
# tests). Usage: scripts/benchmark-console.sh [SECONDS] (default 20).
# Needs `mvn install -DskipTests` first; installs Xvfb, xterm, xdotool, x11-apps, chromium and npm if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for tool in Xvfb:xvfb xterm:xterm xdotool:xdotool xlogo:x11-apps chromium:chromium npm:npm; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# playwright-core as the browser tests pin it (launcher/src/test/browser/package-lock.json).
browser=launcher/target/browser
mkdir -p "$browser"
cp launcher/src/test/browser/package.json launcher/src/test/browser/package-lock.json launcher/src/test/browser/steps.mjs \
  scripts/benchmark-console.mjs "$browser/"
[ -d "$browser/node_modules/playwright-core" ] || (cd "$browser" && npm ci --no-audit --no-fund >/dev/null)
mvn -B -q -f integration-tests/pom.xml test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath org.tandemrc.bench.ConsoleBenchmark $PWD/launcher/target/tandem $PWD/$browser ${1:-20}"
