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

# start_sshd DIR NAME: a private sshd for the current user on 127.0.0.1, keys only, with throw-away keys in
# DIR, as a reference to measure against. Its port is SSH_PORT if set, else 2222, else (another benchmark's
# sshd holds 2222) a free one. Sets SSHD_PID (the caller kills it), SSH_PORT and SSH (an array: the ssh
# command line with its key and options) and returns once it answers, or exits saying why (NAME says who).
start_sshd() {
  local dir=$1 name=$2
  if [ -z "${SSH_PORT:-}" ]; then
    SSH_PORT=2222
    if (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null; then
      SSH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
  fi
  mkdir -p "$dir"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"
  cat > "$dir/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
PermitRootLogin prohibit-password
StrictModes no
PidFile $dir/sshd.pid
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  mkdir -p /run/sshd
  /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" &
  SSHD_PID=$!
  SSH=(ssh -p "$SSH_PORT" -i "$dir/client_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
    -o LogLevel=ERROR -o BatchMode=yes)
  for _ in $(seq 50); do "${SSH[@]}" 127.0.0.1 true 2>/dev/null && break; sleep 0.1; done
  "${SSH[@]}" 127.0.0.1 true || { echo "$name: the sshd on 127.0.0.1:$SSH_PORT does not answer" \
    "(another one there? set SSH_PORT)" >&2; cat "$dir/sshd.log" >&2; exit 1; }
}
