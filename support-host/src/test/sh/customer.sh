#!/bin/sh
# The person's computer for SupportHostIT. Run inside `unshare --mount` (a mount namespace of its own),
# it puts an empty /tmp in place, keeping the X servers' sockets, so that the test sees exactly what
# the temporary Host leaves there, and then runs SCENARIO (sh text) in which
#   temporary_host ARGS...   runs the download as the person would: env -i, a PATH with the tools it
#                            needs and no java, a HOME of its own, DISPLAY and
#                            XDG_RUNTIME_DIR when set;
#   as_person TEXT           runs TEXT in that same environment.
# At the end it prints what /tmp, HOME and XDG_RUNTIME_DIR hold.
# Usage: customer.sh WORK PACKAGE SCENARIO
set -eu
work=$1 package=$2 scenario=$3
mkdir -p "$work/x11" "$work/home" "$work/bin"
x11=
if [ -d /tmp/.X11-unix ]; then
  mount --bind /tmp/.X11-unix "$work/x11"
  x11=$work/x11
fi
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -m 1777 /tmp/.X11-unix
if [ -n "$x11" ]; then
  mount --bind "$x11" /tmp/.X11-unix
fi
# The user's runtime folder, when the scenario has one, starts empty too (and is the person's only).
if [ -n "${XDG_RUNTIME_DIR:-}" ]; then
  mount -t tmpfs -o mode=0700 tmpfs "$XDG_RUNTIME_DIR"
fi
for tool in sh id sed cut find awk df mktemp tail gzip tar rm rmdir mkdir readlink dirname; do
  ln -sf "$(command -v "$tool")" "$work/bin/$tool"
done
temporary_host() {
  env -i PATH="$work/bin" HOME="$work/home" ${DISPLAY:+DISPLAY="$DISPLAY"} \
    ${XDG_RUNTIME_DIR:+XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR"} sh "$package" "$@"
}
as_person() {
  env -i PATH="$work/bin" HOME="$work/home" sh -c "$1"
}
# Waits up to 40 s for FILE to hold TEXT.
await() {
  n=0
  until grep -q "$2" "$1" 2>/dev/null; do
    n=$((n + 1))
    [ "$n" -lt 200 ] || { echo "no '$2' in $1:"; cat "$1"; return 1; }
    sleep 0.2
  done
}
set +e
eval "$scenario"
echo "tmp: $(ls -A /tmp | tr '\n' ' ')"
echo "home: $(ls -A "$work/home" | tr '\n' ' ')"
if [ -n "${XDG_RUNTIME_DIR:-}" ]; then
  echo "runtime dir: $(ls -A "$XDG_RUNTIME_DIR" | tr '\n' ' ')"
fi
