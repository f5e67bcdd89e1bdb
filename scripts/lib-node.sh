# Sourced by the benchmark scripts: what each of them does around the distribution's nodes.

# help_if_asked SCRIPT ARG: with -h or --help, prints SCRIPT's leading comment (after the #! line) and exits.
help_if_asked() {
  case "$2" in
    -h|--help) sed -n '2,/^[^#]/p' "$1" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  esac
}

# start_host TANDEM HOME PASSWORD_FILE OUT: starts `TANDEM host` with HOME on a free loopback port in the
# background, its output in OUT; returns once it is up with HOST_PID and HOST_PORT set, or exits saying why.
start_host() {
  "$1" host --home "$2" --listen tcp:127.0.0.1:0 --password-file "$3" > "$4" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 300); do grep -qs "Stop with Ctrl+C" "$4" && break; sleep 0.1; done
  HOST_PORT=$(sed -n 's/.*listening *tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$4" | head -1)
  [ -n "$HOST_PORT" ] || { cat "$4" >&2; exit 1; }
}
