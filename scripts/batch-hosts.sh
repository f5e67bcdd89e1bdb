#!/usr/bin/env bash
# One action on N real Host nodes at once through `tandem guest batch`: total time and failures.
# Usage: scripts/batch-hosts.sh [N] [ACTION ...]   (default: 20 Hosts, "tool system show"; e.g.
#   scripts/batch-hosts.sh 20 tool system show).
# Needs `mvn install -DskipTests` first. The Hosts listen on 127.0.0.1 with free ports, each with its own
# home under a temporary folder; they run the distribution's default features, or FEATURES when set, e.g.
#   FEATURES="comm-tcp, sessions, terminal, log-file, tools-system, tools-command" scripts/batch-hosts.sh 20 \
#     tool command run command=uptime
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$PWD/launcher/target/tandem
hosts=${1:-20}
shift || true
action=("$@")
[ ${#action[@]} -gt 0 ] || action=(tool system show)
[ -x "$dist/bin/tandem" ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }
[[ "$hosts" =~ ^[0-9]+$ ]] && [ "$hosts" -ge 1 ] && [ "$hosts" -le 64 ] || { echo "N is 1..64" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for i in "${!pids[@]}"; do
    "$dist/bin/tandem" admin --home "$work/host$i" stop > /dev/null 2>&1 || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
password="batch-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" > "$work/pw"

echo "starting $hosts Hosts..."
for i in $(seq 0 $((hosts - 1))); do
  mkdir -p "$work/host$i"
  if [ -n "${FEATURES:-}" ]; then
    mkdir -p "$work/host$i/etc"
    printf 'features = %s\n' "$FEATURES" > "$work/host$i/etc/node.properties"
  fi
  "$dist/bin/tandem" host --home "$work/host$i" --listen tcp:127.0.0.1:0 --password-file "$work/pw" \
    > "$work/host$i.out" 2>&1 &
  pids+=($!)
done
: > "$work/records.csv"
for i in $(seq 0 $((hosts - 1))); do
  until grep -q "Stop with Ctrl+C" "$work/host$i.out" 2>/dev/null; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "host $i did not start:" >&2; cat "$work/host$i.out" >&2; exit 1; }
    sleep 0.2
  done
  port=$(grep -o 'listening *tcp:127\.0\.0\.1:[0-9]*' "$work/host$i.out" | head -1 | sed 's/.*://')
  # folder, description, phone, address, comment, profile, logon, password (empty: --password-file), ...
  printf 'fleet,host%02d,,tcp:127.0.0.1:%s,,,,,,,,,,,,,\r\n' "$i" "$port" >> "$work/records.csv"
done
guest=(--home "$work/guest")
"$dist/bin/tandem" guest batch import "$work/records.csv" "${guest[@]}" > /dev/null

echo "running '${action[*]}' on $hosts Hosts, all at once..."
t0=$(date +%s%N)
set +e
"$dist/bin/tandem" guest batch run fleet/ "${action[@]}" --parallel "$hosts" --password-file "$work/pw" \
  "${guest[@]}" > "$work/table.txt" 2> "$work/progress.txt"
status=$?
set -e
t1=$(date +%s%N)
cat "$work/table.txt"
failed=$(grep -c '^fleet/host[0-9]* *FAILED' "$work/table.txt" || true)
echo "total: $(( (t1 - t0) / 1000000 )) ms for $hosts Hosts (the whole command, Guest start-up included);" \
  "failures: $failed; exit status $status"
