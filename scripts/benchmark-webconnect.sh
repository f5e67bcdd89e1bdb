#!/usr/bin/env bash
# WebConnect on loopback: relayed throughput against direct TCP, and idle Hosts per GiB of heap.
# 1. Throughput of one link, MEGABYTES in 64 KiB messages honouring congested()/writable(), byte count,
#    order and CRC32C checked, 3 rounds interleaved over the paths, median: the tcp device direct; the webconnect device on both sides
#    through a Connection Manager + relay (same JVM, H2 in memory); ratio webconnect/tcp against the 0.8
#    target; raw references: a JDK socket stream direct and through a trivial JDK byte-forwarding proxy.
# 2. Idle Hosts: manager + relay in one child JVM (-Xmx1g -XX:+UseSerialGC, H2 file store); this JVM
#    registers HOSTS Hosts (own control connection, SRP logon, name each); heap after GC before/after,
#    bytes per Host, projected Hosts per GiB (target 10,000); then a Guest (the real device) connects to
#    random registered Hosts and exchanges a message, timed. Raises ulimit -n to the hard limit.
# Usage: scripts/benchmark-webconnect.sh [MEGABYTES] [HOSTS] [PATHS]  (default 256 10000; 0 skips that part;
#   PATHS: throughput rows to run, default tcp,webconnect,jdk,proxy, e.g. webconnect alone for profiling)
#        scripts/benchmark-webconnect.sh --wan [RATES] [MEGABYTES]  (as root; default none,1gbit,100mbit 256)
# 3. --wan: Guest, Host and manager + relay in 3 JVMs in 3 network namespaces joined by a routing one; for
#    each RATE the Guest's and Host's access links are shaped both ways (tc tbf, no delay: no netem here), the
#    relay's not; tcp device direct vs webconnect through the relay, interleaved rounds, median, ratio
#    against 0.8, relay process CPU per GB. "none" = unshaped (CPU-bound, like part 1 but across processes).
# Needs `mvn install -DskipTests` first. Extra Maven options can be passed in MVN_ARGS, e.g.
# MVN_ARGS="-o -Dmaven.repo.local=$HOME/m2-other" scripts/benchmark-webconnect.sh 64 2000
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
main=org.tandemrc.bench.WebConnectBenchmark
args="${1:-256} ${2:-10000} ${3:-tcp,webconnect,jdk,proxy}"
if [ "${1:-}" = --wan ]; then
  main=org.tandemrc.bench.WebConnectWanBenchmark
  args="${2:-none,1gbit,100mbit} ${3:-256}"
fi
cd "$(dirname "$0")/.."
# Every idle Host is one socket in the load JVM and one in the server JVM.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit (ulimit -n): $(ulimit -n)"
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -f integration-tests/pom.xml test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=$main -Dexec.args="$args"
