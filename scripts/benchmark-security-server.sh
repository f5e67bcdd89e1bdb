#!/usr/bin/env bash
# A Guest's logon through the Security Server next to a Host's own logon, in one run on this machine:
# one Security Server, a Host that checks its shared password itself and a Host whose method is
# security-server (a Guest ID kept on the server, SRP relayed by the Host), all real nodes on loopback.
# Each round runs `tandem guest connect` once against each Host, alternately; the script prints the
# median and p90 wall time of the whole command for each and the difference, which is what delegating
# costs (a command's own start, about 2.5 s here, is in both).
# Usage: scripts/benchmark-security-server.sh [ROUNDS]  (default 15)
# Needs the distribution built first: mvn install -DskipTests (launcher/target/tandem).
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
cd "$(dirname "$0")/.."
rounds=${1:-15}
tandem=$PWD/launcher/target/tandem/bin/tandem
[ -x "$tandem" ] || { echo "no distribution at $tandem: run mvn install -DskipTests first" >&2; exit 2; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await() { # FILE PATTERN
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; exit 1
}
ss_port=$(free_port); local_port=$(free_port); delegated_port=$(free_port)
limits=$'logon.address.hour = 100000\nlogon.address.burst = 10000\nlogon.target.hour = 100000\nlogon.target.burst = 10000\n'

mkdir -p "$work/ss/etc" "$work/local/etc" "$work/delegated/etc"
printf 'features = log-file\n' > "$work/ss/etc/node.properties"
printf 'name = bench-ss\n%s' "$limits" > "$work/ss/etc/org.tandemrc.security.server.cfg"
"$tandem" security-server --home "$work/ss" --listen "tcp:127.0.0.1:$ss_port" > "$work/ss.out" 2>&1 &
pids+=($!)
await "$work/ss.out" "Stop with Ctrl+C"
key=$(grep -o 'key        SHA256:[^ ]*' "$work/ss.out" | awk '{print $2}')
echo "bench password" | "$tandem" admin --home "$work/ss" security guests add bench >/dev/null
"$tandem" admin --home "$work/ss" security rules add --guest '*' --host '*' --role 'Full access' >/dev/null

echo "bench password" > "$work/pw"
printf 'features = comm-tcp, sessions, log-file\n' > "$work/local/etc/node.properties"
printf '%s' "$limits" > "$work/local/etc/org.tandemrc.host.security.cfg"
"$tandem" host --home "$work/local" --listen "tcp:127.0.0.1:$local_port" --password-file "$work/pw" \
  > "$work/local.out" 2>&1 &
pids+=($!)
printf 'features = comm-tcp, sessions, log-file, security-client\n' > "$work/delegated/etc/node.properties"
printf 'method = security-server\n%s' "$limits" > "$work/delegated/etc/org.tandemrc.host.security.cfg"
printf 'server = tcp:127.0.0.1:%s\nfingerprint = %s\nreconnect = 1\n' "$ss_port" "$key" \
  > "$work/delegated/etc/org.tandemrc.security.client.cfg"
"$tandem" host --home "$work/delegated" --listen "tcp:127.0.0.1:$delegated_port" --password-file "$work/pw" \
  > "$work/delegated.out" 2>&1 &
pids+=($!)
await "$work/local.out" "Stop with Ctrl+C"
await "$work/delegated.out" "Stop with Ctrl+C"
for _ in $(seq 100); do
  fp=$("$tandem" admin --home "$work/ss" security nodes list | awk '/pending  host/ {print $1; exit}')
  [ -n "$fp" ] && break; sleep 0.2
done
[ -n "$fp" ] || { echo "the delegating Host never reached the Security Server" >&2; exit 1; }
"$tandem" admin --home "$work/ss" security nodes approve "$fp" --name bench-host >/dev/null
for _ in $(seq 100); do
  "$tandem" admin --home "$work/delegated" security-client status >/dev/null 2>&1 && break; sleep 0.3
done

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
: > "$work/local.ms"; : > "$work/delegated.ms"
for i in $(seq "$rounds"); do
  ms "$tandem" guest connect "tcp:127.0.0.1:$local_port" --password-file "$work/pw" --home "$work/guest" >> "$work/local.ms"
  ms "$tandem" guest connect "tcp:127.0.0.1:$delegated_port" --guest-id bench --password-file "$work/pw" \
    --home "$work/guest" >> "$work/delegated.ms"
done
stat() { sort -n "$1" | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.9+0.999)]; printf "%d %d", m, p}'; }
read -r lm lp <<< "$(stat "$work/local.ms")"
read -r dm dp <<< "$(stat "$work/delegated.ms")"
printf '%-44s %10s %10s\n' "tandem guest connect, $rounds rounds" "median ms" "p90 ms"
printf '%-44s %10d %10d\n' "Host's own logon (shared password)" "$lm" "$lp"
printf '%-44s %10d %10d\n' "through the Security Server (Guest ID, SRP)" "$dm" "$dp"
printf '%-44s %10d\n' "difference (median)" $((dm - lm))
