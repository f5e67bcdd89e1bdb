#!/usr/bin/env bash
# Events per second the Security Server's central audit trail stores (org.tandemrc.security.audit):
# NODES threads, each a node appending batches of BATCH events through AuditTrail.append (one transaction
# per batch, the chain's head row locked), on an H2 file and, when Debian's PostgreSQL is installed and
# this runs as root, on a PostgreSQL server started for the run. The chain is verified afterwards.
# Usage: scripts/benchmark-audit.sh [EVENTS] [NODES] [BATCH]  (default 100000 4 100)
# Needs `mvn install -DskipTests` first. Extra Maven options can be passed in MVN_ARGS, e.g.
# MVN_ARGS="-o -Dmaven.repo.local=$HOME/m2-other" scripts/benchmark-audit.sh 20000
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -f bundles/org.tandemrc.security.audit/pom.xml test-compile exec:java \
  -Dexec.classpathScope=test -Dexec.mainClass=org.tandemrc.security.audit.internal.AuditBenchmark \
  -Dexec.args="${1:-100000} ${2:-4} ${3:-100}"
