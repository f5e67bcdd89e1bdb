#!/usr/bin/env bash
# Measures a built distribution: size, Host start-up time (process start to "node is up", N runs)
# and the resident memory of an idle Host. Usage: scripts/measure-node.sh [RUNS] (default 5).
# Needs `mvn install -DskipTests` first. Nodes listen on 127.0.0.1 with a free port only.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=launcher/target/tandem
runs=${1:-5}
[ -x "$dist/bin/tandem" ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }

echo "distribution: $(du -sh "$dist" | cut -f1) unpacked, $(du -h launcher/target/tandem-*.tar.gz | cut -f1) as .tar.gz"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start_node() { # $1 home; prints "pid ms"
  mkdir -p "$1/etc"
  printf 'name = default\ndevice = tcp\nbind = 127.0.0.1\nport = 0\n' > "$1/etc/org.tandemrc.profile-default.cfg"
  local t0 t1
  t0=$(date +%s%N)
  "$dist/bin/tandem" host --home "$1" > "$1.out" 2>&1 &
  local pid=$!
  until grep -q "node is up" "$1.out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$1.out" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  echo "$pid $(( (t1 - t0) / 1000000 ))"
}

stop_node() { # $1 home, $2 pid: asks the node to stop and waits until it is gone
  "$dist/bin/tandem" admin --home "$1" stop > /dev/null
  while kill -0 "$2" 2>/dev/null; do sleep 0.05; done
}

times=()
for i in $(seq 1 "$runs"); do
  read -r pid ms < <(start_node "$work/run$i")
  times+=("$ms")
  stop_node "$work/run$i" "$pid"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "host start-up, process start to 'node is up' (ms, $runs cold starts, new home each): $sorted"

read -r pid ms < <(start_node "$work/idle")
sleep 10
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "idle host resident memory after 10 s: $((rss / 1024)) MiB (VmRSS of pid $pid; JVM options: ${TANDEM_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m})"
stop_node "$work/idle" "$pid"
