#!/usr/bin/env bash
# A `tandem guest` command from process start to exit, side by side with `ssh HOST true` in one run:
#   1. `tandem guest connect ADDRESS` against a Host node on loopback: start, one real logon, exit;
#   2. `ssh -p 2222 127.0.0.1 true` against a private sshd on loopback: start, key logon, run, exit;
#   3. `tandem guest connect --bogus`: a wrong command line, answered before any framework starts.
# RUNS of 1 and 2 alternate (default 10); the medians and p90s are compared, the goal is a ratio <= 3.
# The first Guest run is not timed: it fills the Guest's start-up cache (see README, `tandem guest`).
# Wall times on a loaded machine mostly measure the queue for a core: the CPU time each command used
# (user + system, its whole process tree) is printed beside them.
# Usage: scripts/benchmark-cli.sh [RUNS]     Environment: SSH_PORT (default 2222, or a free port when 2222 is
# taken), TANDEM (the bin/tandem to time, default the built distribution's).
# Needs the distribution (mvn -B install -DskipTests) and sshd (apt-get install openssh-server);
# starts its own sshd on 127.0.0.1:$SSH_PORT with throw-away keys, and its own Host node.
set -euo pipefail
# shellcheck source=scripts/lib-node.sh
. "$(dirname "$0")/lib-node.sh"
help_if_asked "$0" "${1:-}"
cd "$(dirname "$0")/.."
RUNS=${1:-10}
TANDEM=${TANDEM:-launcher/target/tandem/bin/tandem}
for tool in /usr/sbin/sshd ssh ssh-keygen bc; do
  command -v "$tool" >/dev/null || { echo "benchmark-cli: $tool is missing (apt-get install openssh-server bc)" >&2; exit 2; }
done
[ -x "$TANDEM" ] || { echo "benchmark-cli: build the distribution first: mvn -B install -DskipTests" >&2; exit 2; }

W=$(mktemp -d /tmp/tandem-bench-cli.XXXXXX)
SSHD_PID= HOST_PID=
cleanup() {
  [ -n "$HOST_PID" ] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/ssh" "$W/host" "$W/guest-home" "$W/cache"

# A private sshd for the current user, keys only.
start_sshd "$W/ssh" benchmark-cli

# A Host with a shared password; the Guest has its own home and its own start-up cache.
echo "bench-password" > "$W/pw"
start_host "$TANDEM" "$W/host" "$W/pw" "$W/host.out"
export XDG_CACHE_HOME=$W/cache
guest() { "$TANDEM" guest connect "127.0.0.1:$HOST_PORT" --password-file "$W/pw" --home "$W/guest-home" --accept-new-key; }

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
TIMEFORMAT='%R %U %S'
# cpu_timed OUT COMMAND...: runs COMMAND with its output to OUT; prints its wall and CPU (user + system) seconds.
cpu_timed() {
  local out=$1 t; shift
  t=$( { time "$@" > "$out" 2>&1; } 2>&1 ) || { cat "$out" >&2; return 1; }
  set -- $t
  echo "$1 $(echo "$2 + $3" | bc -l)"
}
# pick P VALUES...: the P-th percentile (nearest rank) of VALUES.
pick() { local p=$1; shift; printf '%s\n' "$@" | sort -g | sed -n "$(( ($# * p + 99) / 100 ))p"; }

# The first run pins the Host key and fills the cache: what a person's first command pays, once.
FIRST=$(cpu_timed "$W/first.out" guest | cut -d' ' -f1)
grep -q "Connected to" "$W/first.out" || { cat "$W/first.out" >&2; exit 1; }
echo "first run (cold cache): Tandem $FIRST s"

T=() S=() TC=() SC=()
for run in $(seq "$RUNS"); do
  read -r wall cpu < <(cpu_timed "$W/tandem.out" guest)
  [ -n "${cpu:-}" ] || exit 1
  T+=("$wall") TC+=("$cpu")
  grep -q "Connected to" "$W/tandem.out" || { cat "$W/tandem.out" >&2; exit 1; }
  read -r wall cpu < <(cpu_timed "$W/ssh.out" "${SSH[@]}" 127.0.0.1 true)
  [ -n "${cpu:-}" ] || exit 1
  S+=("$wall") SC+=("$cpu")
  echo "run $run: Tandem ${T[-1]} s (CPU ${TC[-1]} s), ssh ${S[-1]} s (CPU ${SC[-1]} s)"
done
# A wrong option: exit status 2 and the usage error, before any framework starts.
set +e
t0=$(now); "$TANDEM" guest connect --bogus > "$W/usage.out" 2>&1; USAGE_STATUS=$?; t1=$(now)
set -e
[ "$USAGE_STATUS" = 2 ] || { echo "benchmark-cli: a wrong option exited with $USAGE_STATUS, not 2" >&2; cat "$W/usage.out" >&2; exit 1; }
USAGE=$(secs "$t0" "$t1")

TM=$(pick 50 "${T[@]}") T90=$(pick 90 "${T[@]}") SM=$(pick 50 "${S[@]}") S90=$(pick 90 "${S[@]}")
TCM=$(pick 50 "${TC[@]}") SCM=$(pick 50 "${SC[@]}")
printf '\n%-44s %10s %10s %10s\n' "($RUNS runs each, alternating)" "Tandem" "ssh" "ratio"
printf '%-44s %8.3f s %8.3f s %9.1fx   (goal <= 3x ssh)\n' "guest connect vs ssh true: median" "$TM" "$SM" \
  "$(echo "$TM/$SM" | bc -l)"
printf '%-44s %8.3f s %8.3f s %9.1fx\n' "guest connect vs ssh true: p90" "$T90" "$S90" "$(echo "$T90/$S90" | bc -l)"
printf '%-44s %8.3f s %8.3f s %9.1fx\n' "CPU time (user + system): median" "$TCM" "$SCM" "$(echo "$TCM/$SCM" | bc -l)"
printf '%-44s %8.3f s\n' "guest connect, first run (cold cache)" "$FIRST"
printf '%-44s %8.3f s   (exit status %s, before any framework start)\n' "guest connect --bogus (usage error)" \
  "$USAGE" "$USAGE_STATUS"
