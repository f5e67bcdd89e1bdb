#!/usr/bin/env bash
# WebConnect reconnect storm on loopback: HOSTS Hosts registered with one Connection Manager (a child JVM,
# -Xmx1g -XX:+UseSerialGC, H2 file store), the manager killed (SIGKILL) and started again on the same store
# and port, and the time until all HOSTS are registered again, with registrations per second, next to the
# cold (first) registration's rate in the same run; how the Hosts came back (full SRP logons, ticket
# resumptions, told to retry). Goal: 10,000 Hosts back within 60 s of the restart. The Hosts are lean wire
# clients on two shared Netty event loops in this JVM, spread over 127.0.0.2.. source addresses (4,000 each).
# Raises ulimit -n to the hard limit (each Host is one socket here and one in the manager).
# Usage: scripts/benchmark-webconnect-storm.sh [HOSTS]   (default 10000)
# Needs `mvn install -DskipTests` first. Extra Maven options can be passed in MVN_ARGS, e.g.
# MVN_ARGS="-o -Dmaven.repo.local=$HOME/m2-other" scripts/benchmark-webconnect-storm.sh 2000
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit (ulimit -n): $(ulimit -n)"
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -f integration-tests/pom.xml test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.tandemrc.bench.WebConnectStormBenchmark -Dexec.args="${1:-10000}"
