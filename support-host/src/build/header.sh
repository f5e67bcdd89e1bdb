#!/bin/sh
# Tandem temporary Host @VERSION@ for Linux x86-64: a Tandem Host with its own Java runtime (no Java
# needs to be installed), for one support session. Start it with
#
#   sh tandem-support-host-linux-x64.sh [OPTIONS]
#
# For a support session: --code CODE (the 9 digits your supporter gives you) and --manager ADDRESS
# [--trust-fingerprint HEX]; the download from a support link knows them already (its preset line).
# Otherwise OPTIONS are the Host's (`tandem host --help`), e.g. --listen tcp:127.0.0.1:6502
# --password-file FILE. --help tells what it does and what it leaves behind.
# It unpacks itself into a new private folder (under $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp), runs
# the Host in the foreground and, however the Host ends (Ctrl+C, SIGTERM or SIGHUP, the Host stopping,
# an error), deletes that folder, its Java runtime included, and what Java wrote for it elsewhere. It
# installs nothing and starts nothing at log-on. Only SIGKILL leaves the folder: the next start deletes
# such folders of this user, once no process of theirs runs any more. A second Ctrl+C stops the Host
# at once when it does not end by itself.
set -u
umask 077
# Written by the download page (its one line of this form): code=DIGITS;manager=ADDRESS;trust-fingerprint=HEX.
preset=''
prog=tandem-support-host
mark=.$prog
payload_line=@PAYLOAD_LINE@
need_kb=@UNPACKED_KB@
java_version=@JAVA_VERSION@
uid=$(id -u)

say() {
  printf '%s: %s\n' "$prog" "$*" >&2
}

usage() {
  # printf, a built-in: the script needs no more tools than it already uses.
  printf '%s\n' \
    "Tandem temporary Host: lets a supporter see your screen (and, when you allow it, use your keyboard" \
    "and mouse) for one support session. It needs no Java and nothing installed, and runs without root." \
    "" \
    "  sh ${0##*/}                      join the session of the link you downloaded it from" \
    "  sh ${0##*/} --code CODE --manager ADDRESS [--trust-fingerprint HEX]" \
    "                                   join the session of CODE (the 9 digits your supporter reads out)" \
    "  sh ${0##*/} --help               this text" \
    "" \
    "On a desktop a window \"Tandem remote support\" asks for the code and shows who helps you; without one" \
    "the terminal asks, and Ctrl+C ends support. You are asked before the supporter sees your screen, and" \
    "again before they use keyboard and mouse; Esc takes them back. If you refuse the first time, the" \
    "session ends." \
    "" \
    "What it leaves behind: nothing. It unpacks into a new private folder (under \$XDG_RUNTIME_DIR, else" \
    "\$TMPDIR, else /tmp) and deletes that folder, its Java runtime included, when the session ends (End" \
    "support, your refusal, the supporter ending it, or its lifetime running out) or the program stops" \
    "(Ctrl+C, logging out). It installs nothing and starts nothing at log-on; a folder left by a run that" \
    "was killed is deleted by the next start."
}

# The session to join: the preset, then the options. Values as the page writes them, nothing else.
valid_value() {
  case $1 in '' | *[!]A-Za-z0-9.:_[-]*) return 1 ;; esac
}
nine_digits() {
  case $1 in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;; *) return 1 ;; esac
}
fingerprint() {
  [ "${#1}" -eq 64 ] && case $1 in *[!0-9a-f]*) return 1 ;; esac
}
code= manager= trust=
case $preset in *[!]A-Za-z0-9.:_\;=[-]* | *\; | \;* | *\;\;*)
  printf '%s\n' "${0##*/}: the download's preset is damaged: download it again" >&2
  exit 2
  ;;
esac
rest=$preset
for key in code manager trust-fingerprint; do
  case $rest in
    "$key="*)
      value=${rest%%;*}
      value=${value#"$key="}
      case $rest in *\;*) rest=${rest#*;} ;; *) rest= ;; esac
      case $key in code) code=$value ;; manager) manager=$value ;; *) trust=$value ;; esac
      ;;
  esac
done
if [ -n "$rest" ] || { [ -n "$code" ] && ! nine_digits "$code"; } || { [ -n "$manager" ] && ! valid_value "$manager"; } \
  || { [ -n "$trust" ] && ! fingerprint "$trust"; }; then
  printf '%s\n' "${0##*/}: the download's preset is damaged: download it again" >&2
  exit 2
fi
support=${preset:+1}
while [ $# -gt 0 ]; do
  case $1 in
    --help | -h) usage; exit 0 ;;
    --code | --manager | --trust-fingerprint)
      [ $# -ge 2 ] || { printf '%s\n' "${0##*/}: $1 needs a value (--help tells more)" >&2; exit 2; }
      case $1 in
        --code) code=$(printf '%s' "$2" | sed 's/[ -]//g'); nine_digits "$code" || { printf '%s\n' "${0##*/}: the code has 9 digits" >&2; exit 2; } ;;
        --manager) manager=$2; valid_value "$manager" || { printf '%s\n' "${0##*/}: --manager: not an address" >&2; exit 2; } ;;
        *) trust=$2; fingerprint "$trust" || { printf '%s\n' "${0##*/}: --trust-fingerprint: 64 lowercase hex digits" >&2; exit 2; } ;;
      esac
      support=1
      shift 2
      ;;
    # The Host's options, for a Host that is not for a support session (which takes only the three above).
    *) [ -z "$support" ] || { printf '%s\n' "${0##*/}: unknown option $1 (--help tells more)" >&2; exit 2; }; break ;;
  esac
done
# Without a desktop the terminal asks (the Host then prints who helps; Ctrl+C ends support).
if [ -n "$support" ] && [ -z "${DISPLAY:-}" ]; then
  while [ -z "$manager" ]; do
    printf 'Your supporter'"'"'s Connection Manager (address): ' >&2
    IFS= read -r manager || exit 2
    valid_value "$manager" || manager=
  done
  while [ -z "$code" ]; do
    printf 'Type the 9-digit code your supporter gave you: ' >&2
    IFS= read -r code || exit 2
    code=$(printf '%s' "$code" | sed 's/[ -]//g')
    nine_digits "$code" || code=
  done
fi
support_preset=
if [ -n "$support" ]; then
  support_preset=${code:+code=$code}${manager:+${code:+;}manager=$manager}${trust:+;trust-fingerprint=$trust}
  set --
fi

# A process's start time (field 22 of /proc/PID/stat; after the name, which may hold spaces), so that
# a PID used again by another process is not taken for ours. Empty when there is no such process.
started() {
  [ -r "/proc/$1/stat" ] && sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

# Deletes the folders under $1 that a killed run left: only directories (not links) named as ours,
# owned by this user, holding our mark (a plain file of this user) and none of whose processes runs.
sweep() {
  find "$1" -maxdepth 1 -name "$prog.*" -type d -user "$uid" 2>/dev/null | while IFS= read -r d; do
    m=$d/$mark
    [ -n "$(find "$m" -maxdepth 0 -type f -user "$uid" 2>/dev/null)" ] || continue
    live=
    while read -r what pid start; do
      case $what in script | java) ;; *) continue ;; esac
      case $pid in '' | *[!0-9]*) continue ;; esac
      [ "$(started "$pid")" = "$start" ] && live=1
    done < "$m"
    if [ -z "$live" ]; then
      rm -rf -- "$d" && say "deleted $d, left by an earlier run that was killed"
    fi
  done
}

# A folder to unpack in: a directory (not a link) with room, without blanks in its path, short enough
# for the Host's admin socket (FOLDER/tandem-support-host.XXXXXXXXXX/home/run/admin.sock: a Unix socket's
# path has at most 107 bytes); the user's runtime folder only when it is theirs.
fits() {
  case $1 in '' | *[[:space:]]*) return 1 ;; esac
  [ "${#1}" -le 56 ] || return 1
  [ -d "$1" ] && [ ! -L "$1" ] && [ -w "$1" ] || return 1
  free=$(df -Pk "$1" 2>/dev/null | awk 'NR == 2 {print $4}')
  [ -n "$free" ] && [ "$free" -gt $((need_kb + 65536)) ]
}

# The payload is read from this file: sh finds a script named without a folder in the current one
# first, and only then on PATH.
self=$0
if [ ! -f "$self" ]; then
  case $0 in */*) ;; *) self=$(command -v -- "$0" 2>/dev/null || echo "$0") ;; esac
fi
if [ ! -f "$self" ]; then
  say "run it from its file: sh tandem-support-host-linux-x64.sh"
  exit 2
fi

xdg=
if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -n "$(find "$XDG_RUNTIME_DIR" -maxdepth 0 -type d -user "$uid" 2>/dev/null)" ]; then
  xdg=$XDG_RUNTIME_DIR
fi
base=
for b in "$xdg" "${TMPDIR:-}" /tmp; do
  [ -n "$b" ] || continue
  sweep "$b"
  if [ -z "$base" ] && fits "$b"; then
    base=$b
  fi
done
if [ -z "$base" ]; then
  say "no folder with $((need_kb / 1024 + 64)) MB free: \$XDG_RUNTIME_DIR, \$TMPDIR, /tmp"
  exit 1
fi

dir=
java_pid=
ended=
status=1
fonts=
fonts_made=
fonts_before=

clean() {
  trap '' HUP INT QUIT TERM PIPE
  pid=${java_pid:-${!:-}}
  if [ -z "$ended" ] && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  # Java keeps a font cache of its own in ~/.java/fonts/VERSION/fcinfo-*: delete what this run added,
  # and the folders it made when they are empty (another Java program may have put something there).
  if [ -n "$fonts" ] && [ -d "$fonts" ] && [ ! -L "$fonts" ]; then
    for f in "$fonts"/fcinfo-*; do
      [ -e "$f" ] || [ -L "$f" ] || continue
      case $fonts_before in *"/${f##*/}/"*) ;; *) rm -rf -- "$f" ;; esac
    done
  fi
  if [ -n "$fonts_made" ]; then
    for d in "$fonts" "${fonts%/*}" "${fonts%/*/*}"; do
      rmdir -- "$d" 2>/dev/null
      [ "$d" = "$fonts_made" ] && break
    done
  fi
  if [ -n "$dir" ]; then
    rm -rf -- "$dir"
    if [ -e "$dir" ]; then
      say "could not delete all of $dir"
    else
      say "deleted $dir: nothing of the temporary Host is left on this computer"
    fi
  fi
}
trap clean EXIT

# The Host is the only asynchronous command: $! names it also when a signal came before java_pid was set.
stop() {
  [ -z "$ended" ] || return 0
  pid=${java_pid:-${!:-}}
  if [ -z "$pid" ]; then
    exit 130
  fi
  if [ -n "${stopping:-}" ]; then
    kill -KILL "$pid" 2>/dev/null
  else
    stopping=1
    kill -TERM "$pid" 2>/dev/null
  fi
}
trap stop HUP INT QUIT TERM

dir=$(mktemp -d "$base/$prog.XXXXXXXXXX") || {
  dir=
  say "cannot make a folder in $base"
  exit 1
}
printf 'script %s %s\n' "$$" "$(started "$$")" > "$dir/$mark"
say "unpacking into $dir (deleted when the Host ends)"
if ! tail -n +"$payload_line" "$self" | gzip -dc | tar -xf - -C "$dir"; then
  say "the download is damaged: download it again"
  exit 1
fi
mkdir "$dir/home" "$dir/tmp" "$dir/cache" "$dir/prefs"

# Java's home is $HOME (it would read the password database), so that the font cache is where it looks.
jhome=
case ${HOME:-} in '' | *[[:space:]]*) ;; *) jhome=$HOME ;; esac
if [ -n "$jhome" ]; then
  fonts=$jhome/.java/fonts/$java_version
  for p in "$jhome/.java" "$jhome/.java/fonts" "$fonts"; do
    if [ ! -e "$p" ] && [ ! -L "$p" ]; then
      fonts_made=$p
      break
    fi
  done
  fonts_before=/
  if [ -d "$fonts" ]; then
    for f in "$fonts"/fcinfo-*; do
      fonts_before=$fonts_before${f##*/}/
    done
  fi
fi

# Standard input goes to the Host (the terminal's questions when there is no desktop): an
# asynchronous command of a script would read /dev/null. Java's own files go into the folder: its
# temporary files and native libraries (JNA, zstd), preferences, font caches, no hsperfdata in /tmp.
if true <&0 2>/dev/null; then
  exec 3<&0
else
  exec 3</dev/null
fi
(
  cd "$dir" || exit 1
  XDG_CACHE_HOME=$dir/cache
  JAVA_HOME=$dir/runtime
  TANDEM_JAVA_OPTS="-XX:+UseSerialGC -Xmx512m -XX:-UsePerfData -XX:ErrorFile=$dir/tmp/hs_err_%p.log \
-Djava.io.tmpdir=$dir/tmp -Djna.tmpdir=$dir/tmp -Djava.util.prefs.userRoot=$dir/prefs \
-Djava.util.prefs.systemRoot=$dir/prefs${jhome:+ -Duser.home=$jhome}${support:+ -Dtandem.support.preset=$support_preset}"
  export XDG_CACHE_HOME JAVA_HOME TANDEM_JAVA_OPTS
  exec "$dir/tandem/bin/tandem" --home "$dir/home" host "$@"
) 0<&3 3<&- &
java_pid=$!
exec 3<&-
printf 'java %s %s\n' "$java_pid" "$(started "$java_pid")" >> "$dir/$mark"

# Waits for the Host; a signal (see stop) interrupts the wait, and the loop waits again until it ends.
while :; do
  wait "$java_pid"
  code=$?
  if ! kill -0 "$java_pid" 2>/dev/null; then
    status=$code
    break
  fi
done
# Reaped: its PID may now be another process's.
ended=1
exit "$status"
