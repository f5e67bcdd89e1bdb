#!/usr/bin/env bash
# Tunnel throughput on loopback, side by side in one run: a SIZE_MIB download and upload with curl from
# a local HTTP server (python3's http.server with a PUT that answers the SHA-256 of what it received),
# directly and through `tandem guest tunnel` (Guest -> Host -> server), each RUNS times alternating; the
# medians are printed in MB/s next to each other, and every transfer's SHA-256 is compared.
# Usage: scripts/benchmark-tunnel.sh [SIZE_MIB] [RUNS]   (default 1024 3)
# Needs the distribution (mvn -B install -DskipTests), python3, curl, sha256sum, bc; starts its own Host node
# and server on free loopback ports.
set -euo pipefail
# shellcheck source=scripts/lib-node.sh
. "$(dirname "$0")/lib-node.sh"
help_if_asked "$0" "${1:-}"
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
RUNS=${2:-3}
TANDEM=$PWD/launcher/target/tandem/bin/tandem
for tool in python3 curl sha256sum bc; do
  command -v "$tool" >/dev/null || { echo "benchmark-tunnel: $tool is missing" >&2; exit 2; }
done
[ -x "$TANDEM" ] || { echo "benchmark-tunnel: build the distribution first: mvn -B install -DskipTests" >&2; exit 2; }

W=$(mktemp -d /tmp/tandem-bench-tunnel.XXXXXX)
SERVER_PID= HOST_PID= TUNNEL_PID=
cleanup() {
  for pid in "$TUNNEL_PID" "$HOST_PID" "$SERVER_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/www" "$W/host/etc"

echo "Making a ${SIZE_MIB} MiB file of random bytes..."
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$W/www/big.bin"
SUM=$(sha256sum "$W/www/big.bin" | cut -d' ' -f1)

# The destination: GET serves www/, PUT answers the SHA-256 of the body. It prints its port.
cat > "$W/server.py" <<'PY'
import hashlib, http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def do_PUT(self):
        left, md = int(self.headers['Content-Length']), hashlib.sha256()
        while left:
            b = self.rfile.read(min(left, 1 << 20)); md.update(b); left -= len(b)
        a = md.hexdigest().encode(); self.send_response(200)
        self.send_header('Content-Length', str(len(a))); self.end_headers(); self.wfile.write(a)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), lambda *a: H(*a, directory=sys.argv[1]))
print(s.server_address[1], flush=True); s.serve_forever()
PY
python3 "$W/server.py" "$W/www" > "$W/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$W/server.out" ] && break; sleep 0.1; done
WEB=$(head -1 "$W/server.out")

# A Host whose shared password has a role that may tunnel to the server only.
echo "bench-password" > "$W/pw"
echo "features = comm-tcp, sessions, log-file, tools-tunnel" > "$W/host/etc/node.properties"
printf 'name = Tunnellers\nprivileges = tunnel\n' > "$W/host/etc/org.tandemrc.host.role-tunnel.cfg"
echo "shared.role = Tunnellers" > "$W/host/etc/org.tandemrc.host.security.cfg"
echo "Tunnellers = 127.0.0.1:$WEB" > "$W/host/etc/org.tandemrc.tool.tunnel.cfg"
start_host "$TANDEM" "$W/host" "$W/pw" "$W/host.out"

"$TANDEM" guest tunnel "127.0.0.1:$HOST_PORT" --local "0:127.0.0.1:$WEB" --password-file "$W/pw" \
  --home "$W/guest-home" --accept-new-key > "$W/tunnel.out" 2>&1 &
TUNNEL_PID=$!
for _ in $(seq 300); do grep -qs "Ctrl+C ends the tunnel" "$W/tunnel.out" && break; sleep 0.1; done
LOCAL=$(sed -n 's/^Forwarding 127\.0\.0\.1:\([0-9]*\) to .*/\1/p' "$W/tunnel.out" | head -1)
[ -n "$LOCAL" ] || { cat "$W/tunnel.out" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
mbps() { echo "scale=1; $SIZE_MIB * 1.048576 / $1" | bc -l; }
# down PORT: seconds to download the file through PORT, after checking its SHA-256.
down() {
  local t
  t=$(curl -sS -o "$W/got.bin" -w '%{time_total}' "http://127.0.0.1:$1/big.bin")
  [ "$(sha256sum "$W/got.bin" | cut -d' ' -f1)" = "$SUM" ] || { echo "download through port $1 differs" >&2; exit 1; }
  rm -f "$W/got.bin"; echo "$t"
}
# up PORT: seconds to upload the file through PORT; the server's SHA-256 must match.
up() {
  local out
  out=$(curl -sS -T "$W/www/big.bin" -w ' %{time_total}' "http://127.0.0.1:$1/upload")
  [ "${out%% *}" = "$SUM" ] || { echo "upload through port $1 differs: $out" >&2; exit 1; }
  echo "${out##* }"
}

# One small transfer first, so the Host's JIT warm-up is not timed.
curl -sS -o /dev/null -r 0-67108863 "http://127.0.0.1:$LOCAL/big.bin"

D_DOWN=() T_DOWN=() D_UP=() T_UP=()
for i in $(seq "$RUNS"); do
  D_DOWN+=("$(down "$WEB")"); T_DOWN+=("$(down "$LOCAL")")
  D_UP+=("$(up "$WEB")"); T_UP+=("$(up "$LOCAL")")
  echo "run $i/$RUNS done"
done

echo
echo "${SIZE_MIB} MiB over loopback, median of $RUNS runs (SHA-256 checked each time), $(nproc) cores"
printf '%-10s %14s %14s %8s\n' "" "direct MB/s" "tunnel MB/s" "tunnel/direct"
for dir in down up; do
  if [ $dir = down ]; then d=$(median "${D_DOWN[@]}"); t=$(median "${T_DOWN[@]}"); else d=$(median "${D_UP[@]}"); t=$(median "${T_UP[@]}"); fi
  printf '%-10s %14s %14s %8s\n' "$dir" "$(mbps "$d")" "$(mbps "$t")" "$(echo "scale=2; $d / $t" | bc -l)"
done
