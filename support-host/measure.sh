#!/bin/sh
# Measures the temporary Host download: its size, and for RUNS starts (default 3) the time from
# starting it to the Host listening and to the Confirm access dialog on an X display (its own Xvfb),
# where a Guest of the launcher's distribution connects as soon as the Host listens. "Guest" is the
# part of the second figure that the Guest took from its own start (a supporter's Guest is already
# running). Figures mean little on a loaded machine: each run prints the load average.
# Needs Xvfb and xdotool. Build first: mvn -o install -DskipTests -pl support-host (or package).
# Usage: support-host/measure.sh [RUNS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
package=$here/target/tandem-support-host-linux-x64.sh
dist=$(ls -d "$here"/target/full/tandem-*)
runs=${1:-3}
[ -f "$package" ] || { echo "measure: build it first: no $package" >&2; exit 1; }
work=$(mktemp -d)
xvfb=
cleanup() {
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp > "$work/xvfb.log" 2>&1 &
xvfb=$!
until [ -e "/tmp/.X11-unix/X$n" ]; do sleep 0.05; done
echo "measure password" > "$work/pw"
now() { date +%s%3N; }

echo "download: $(wc -c < "$package") bytes ($package)"
i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(now)
  env -i PATH=/usr/bin:/bin HOME="$work/home" DISPLAY=":$n" sh "$package" --listen tcp:127.0.0.1:0 \
    --password-file "$work/pw" > "$work/host.out" 2>&1 &
  host=$!
  until grep -q 'listening' "$work/host.out"; do
    kill -0 "$host" 2>/dev/null || { cat "$work/host.out"; exit 1; }
    sleep 0.02
  done
  listening=$(now)
  port=$(sed -n 's/.*listening *tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/host.out")
  # A Guest home per run: each temporary Host has a new identity key, which a Guest that knew the last one refuses.
  "$dist/bin/tandem" guest screenshot "tcp:127.0.0.1:$port" --out "$work/screen.png" \
    --password-file "$work/pw" --home "$work/guest$i" > "$work/guest.out" 2>&1 &
  guest=$!
  guest_start=$(now)
  until [ -n "$(DISPLAY=":$n" xdotool search --name 'Confirm access' 2>/dev/null)" ]; do
    if ! kill -0 "$guest" 2>/dev/null || [ $(($(now) - guest_start)) -gt 60000 ]; then
      echo "measure: no Confirm access; the Guest said:" >&2
      cat "$work/guest.out" >&2
      kill -TERM "$host"
      exit 1
    fi
    sleep 0.02
  done
  dialog=$(now)
  kill -TERM "$host"
  wait "$host" || true
  wait "$guest" || true
  printf 'run %d: listening %5d ms   Confirm access %5d ms (Guest %5d ms of it)   load %s\n' "$i" \
    $((listening - start)) $((dialog - start)) $((dialog - guest_start)) "$load"
done
