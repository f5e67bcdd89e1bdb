#!/usr/bin/env bash
# File transfer on loopback, side by side in one run:
#   1. a 1 GiB copy through Tandem vs scp (OpenSSH, its default cipher);
#   2. a delta update of that file after 1% scattered changes, Tandem vs rsync over ssh: bytes sent, wall time.
# Each is run 3 times, alternating with the reference; the medians are compared.
# Usage: scripts/benchmark-files.sh [SIZE_MIB]   (default 1024)
# Needs the distribution (mvn -B install -DskipTests) and sshd, scp, rsync (apt-get install openssh-server rsync);
# starts its own sshd on 127.0.0.1:$SSH_PORT (2222 unless set or taken) with throw-away keys, and its own Host node.
set -euo pipefail
# shellcheck source=scripts/lib-node.sh
. "$(dirname "$0")/lib-node.sh"
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
TANDEM=launcher/target/tandem/bin/tandem
for tool in /usr/sbin/sshd scp rsync ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "benchmark-files: $tool is missing (apt-get install openssh-server rsync)" >&2; exit 2; }
done
[ -x "$TANDEM" ] || { echo "benchmark-files: build the distribution first: mvn -B install -DskipTests" >&2; exit 2; }

W=$(mktemp -d /tmp/tandem-bench-files.XXXXXX)
SSHD_PID= HOST_PID=
cleanup() {
  [ -n "$HOST_PID" ] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/ssh" "$W/share" "$W/scp-dest" "$W/rsync-dest" "$W/host/etc"

# A private sshd for the current user, keys only.
start_sshd "$W/ssh" benchmark-files
CIPHER=$("${SSH[@]}" -v 127.0.0.1 true 2>&1 | sed -n 's/.*kex: client->server cipher: \([^ ]*\).*/\1/p' | head -1)

# A Host sharing $W/share.
echo "bench-password" > "$W/pw"
echo "shares = bench=$W/share" > "$W/host/etc/org.tandemrc.files.cfg"
start_host "$TANDEM" "$W/host" "$W/pw" "$W/host.out"
PORT=$HOST_PORT
guest() { "$TANDEM" guest "$@" --password-file "$W/pw" --home "$W/guest-home" --accept-new-key; }

echo "Making a ${SIZE_MIB} MiB file of random bytes..."
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$W/big.bin"
sync

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
# timed OUT COMMAND...: runs COMMAND with its output to OUT and prints the seconds it took.
timed() { local out=$1 t0 t1; shift; t0=$(now); "$@" > "$out" || return; t1=$(now); secs "$t0" "$t1"; }
# same FILE COPY WHO: stops the benchmark when WHO's copy is not the file.
same() { cmp -s "$1" "$2" || { echo "$3 differs" >&2; exit 1; }; }
RUNS=3

# The Host is a long-running node: one small copy first, so its first-transfer JIT warm-up is not timed
# (each timed Guest command is still a fresh process and pays its own start-up).
head -c $((64 * 1024 * 1024)) /dev/urandom > "$W/warm.bin"
guest copy "$W/warm.bin" "127.0.0.1:$PORT:/bench" > /dev/null
rm -f "$W/share/warm.bin" "$W/warm.bin"

# 1. Whole copy, RUNS times each, alternating; the median counts.
T=() S=()
for run in $(seq $RUNS); do
  rm -f "$W/share/big.bin" "$W/scp-dest/big.bin"; sync
  T+=("$(timed "$W/tandem-copy.out" guest copy "$W/big.bin" "127.0.0.1:$PORT:/bench")"); sync
  same "$W/big.bin" "$W/share/big.bin" "Tandem's copy"
  S+=("$(timed /dev/null scp -q -P "$SSH_PORT" -i "$W/ssh/client_key" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "$W/big.bin" "127.0.0.1:$W/scp-dest/big.bin")"); sync
  same "$W/big.bin" "$W/scp-dest/big.bin" "scp's copy"
  echo "copy run $run: Tandem ${T[-1]} s, scp ${S[-1]} s"
done
TANDEM_COPY=$(median "${T[@]}")
SCP_COPY=$(median "${S[@]}")
cp "$W/big.bin" "$W/old.bin"

# 2. 1% scattered changes: 1% of the size in 1024 runs at random places.
python3 - "$W/big.bin" "$SIZE_MIB" <<'EOF'
import os, random, sys
path, mib = sys.argv[1], int(sys.argv[2])
size = mib * 1024 * 1024
run = max(1, size // 100 // 1024)
r = random.Random(7)
with open(path, "r+b") as f:
    for _ in range(1024):
        f.seek(r.randrange(0, size - run))
        f.write(os.urandom(run))
EOF
touch "$W/big.bin"
T=() S=()
for run in $(seq $RUNS); do
  # Both destinations hold the old version again.
  cp "$W/old.bin" "$W/share/big.bin"; cp "$W/old.bin" "$W/rsync-dest/big.bin"; sync
  T+=("$(timed "$W/tandem-delta.out" guest copy "$W/big.bin" "127.0.0.1:$PORT:/bench" --overwrite always)")
  same "$W/big.bin" "$W/share/big.bin" "Tandem's delta update"
  S+=("$(timed "$W/rsync.out" rsync --stats --ignore-times -e "${SSH[*]}" "$W/big.bin" "127.0.0.1:$W/rsync-dest/big.bin")")
  same "$W/big.bin" "$W/rsync-dest/big.bin" "rsync's update"
  echo "delta run $run: Tandem ${T[-1]} s, rsync ${S[-1]} s"
done
TANDEM_DELTA=$(median "${T[@]}")
RSYNC_DELTA=$(median "${S[@]}")
TANDEM_DELTA_BYTES=$(sed -n 's/.*(\([0-9]*\) bytes, \([0-9]*\) on the wire.*/\2/p' "$W/tandem-delta.out" | head -1)
RSYNC_SENT=$(sed -n 's/^Total bytes sent: \([0-9,]*\).*/\1/p' "$W/rsync.out" | tr -d ,)
RSYNC_RECEIVED=$(sed -n 's/^Total bytes received: \([0-9,]*\).*/\1/p' "$W/rsync.out" | tr -d ,)

MIB=$SIZE_MIB
printf '\n%-44s %14s %14s %10s\n' "" "Tandem" "reference" "ratio"
printf '%-44s %11.1f MB/s %9.1f MB/s %9.2fx   (target >= 1.5x scp, cipher %s)\n' "copy ${MIB} MiB (median throughput) vs scp" \
  "$(echo "$MIB*1.048576/$TANDEM_COPY" | bc -l)" "$(echo "$MIB*1.048576/$SCP_COPY" | bc -l)" \
  "$(echo "$SCP_COPY/$TANDEM_COPY" | bc -l)" "${CIPHER:-default}"
printf '%-44s %14d %14d %9.2fx   (target <= 1.1x rsync)\n' "delta update: file bytes sent vs rsync" \
  "$TANDEM_DELTA_BYTES" "$RSYNC_SENT" "$(echo "$TANDEM_DELTA_BYTES/$RSYNC_SENT" | bc -l)"
printf '%-44s %12.2f s %12.2f s %9.2fx   (target <= 1.0x rsync)\n' "delta update: median wall time vs rsync" \
  "$TANDEM_DELTA" "$RSYNC_DELTA" "$(echo "$TANDEM_DELTA/$RSYNC_DELTA" | bc -l)"
echo "(rsync also received $RSYNC_RECEIVED bytes: its block checksums; Tandem's signature travels in the Host's offer.)"
