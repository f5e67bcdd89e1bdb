#!/usr/bin/env bash
# A fuzzing campaign over every decoder a peer can reach: each Jazzer @FuzzTest in turn, SECONDS each
# (default 60), then a table of executions and findings per target and the total.
# Usage: scripts/fuzz.sh [SECONDS] [PATTERN]   (PATTERN picks targets by name, e.g. Udp or decode)
# Environment: MAVEN_FLAGS (e.g. "-o -Dmaven.repo.local=..."), FUZZ_SKIP_BUILD=1 to reuse the last build.
# Limits per target: no input may take over 1 s (-timeout=1), the JVM has 1 GiB of heap (-Xmx1g: a
# decoder that allocates what a peer announces fails with OutOfMemoryError) and the process at most
# 3 GiB (-rss_limit_mb). A finding stops that target; Jazzer saves its input into the target's
# src/test/resources/<package>/<Class>Inputs/<method>/ folder, where every build then replays it.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
PATTERN="${2:-}"
MAVEN_FLAGS="${MAVEN_FLAGS:-}"
LOGS=target/fuzz-logs
mkdir -p "$LOGS"

# module | test class (simple name) | method
TARGETS=(
  "org.tandemrc.protocol|HandshakeFuzzTest|hostReadsGuestHello"
  "org.tandemrc.protocol|HandshakeFuzzTest|guestReadsHostHello"
  "org.tandemrc.protocol|RecordFuzzTest|hostReadsForgedRecords"
  "org.tandemrc.protocol|ControlMessageFuzzTest|decode"
  "org.tandemrc.protocol|ChannelFrameFuzzTest|hostReadsFrames"
  "org.tandemrc.protocol|ChannelFrameFuzzTest|guestReadsFrames"
  "org.tandemrc.protocol|SrpFuzzTest|hostReadsResponse"
  "org.tandemrc.protocol|SrpFuzzTest|guestReadsChallenge"
  "org.tandemrc.protocol|GatewayWireFuzzTest|decode"
  "org.tandemrc.webconnect.protocol|WebConnectFuzzTest|frames"
  "org.tandemrc.webconnect.protocol|WebConnectFuzzTest|pairingToken"
  "org.tandemrc.comm.udp|UdpFuzzTest|datagrams"
  "org.tandemrc.comm.udp|UdpFuzzTest|linkPackets"
  "org.tandemrc.comm.udp|UdpFuzzTest|reassembly"
  "org.tandemrc.comm.http|HttpTunnelFuzzTest|frames"
  "org.tandemrc.comm.http|HttpTunnelFuzzTest|routes"
  "org.tandemrc.session.remotecontrol|RemoteControlFuzzTest|hostReadsScreenMessages"
  "org.tandemrc.session.remotecontrol|RemoteControlFuzzTest|hostReadsInput"
  "org.tandemrc.session.remotecontrol|RemoteControlFuzzTest|guestReadsScreen"
  "org.tandemrc.session.files|FileWireFuzzTest|fields"
  "org.tandemrc.session.files|FileWireFuzzTest|signature"
  "org.tandemrc.session.tools|ToolWireFuzzTest|hostReadsRequest"
  "org.tandemrc.session.tools|ToolWireFuzzTest|guestReadsAnswer"
  "org.tandemrc.phonebook|PhonebookImportFuzzTest|csv"
  "org.tandemrc.phonebook|PhonebookImportFuzzTest|dwc"
  "org.tandemrc.webconsole|JsonFuzzTest|parse"
)

selected=()
modules=()
for t in "${TARGETS[@]}"; do
  if [[ -z "$PATTERN" || "$t" == *"$PATTERN"* ]]; then
    selected+=("$t")
    m="bundles/${t%%|*}"
    [[ " ${modules[*]-} " == *" $m "* ]] || modules+=("$m")
  fi
done
if [[ ${#selected[@]} -eq 0 ]]; then
  echo "no fuzz target matches '$PATTERN'" >&2
  exit 2
fi

if [[ "${FUZZ_SKIP_BUILD:-}" != 1 ]]; then
  echo "building ${modules[*]} ..."
  # shellcheck disable=SC2086
  mvn -B -q $MAVEN_FLAGS install -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am || exit 1
fi

total=0
total_findings=0
rows=()
for t in "${selected[@]}"; do
  IFS='|' read -r module class method <<<"$t"
  name="$class#$method"
  log="$LOGS/$class-$method.log"
  echo "fuzzing $name for ${SECONDS_EACH}s ..."
  # shellcheck disable=SC2086
  JAZZER_FUZZ=1 mvn -B $MAVEN_FLAGS surefire:test -pl "bundles/$module" -Dtest="$class#$method" \
    -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx1g -DtrimStackTrace=false \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="-max_total_time=$SECONDS_EACH" \
    -Djazzer.internal.arg.2=-timeout=1 -Djazzer.internal.arg.3=-rss_limit_mb=3072 >"$log" 2>&1
  rc=$?
  # libFuzzer's status lines start with #<executions>; the last one (DONE, or the last before a finding) counts.
  execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  done_runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
  [[ -n "$done_runs" ]] && execs="$done_runs"
  execs=${execs:-0}
  # libFuzzer saves each finding's input once (crash, timeout or out-of-memory alike).
  findings=$(grep -ac 'Test unit written to' "$log")
  if [[ $rc -ne 0 && $findings -eq 0 ]]; then
    findings="?"  # the run failed for another reason: read the log
    echo "  $name: the run failed without a finding; see $log" >&2
  fi
  [[ "$findings" != "?" ]] && total_findings=$((total_findings + findings))
  total=$((total + execs))
  rows+=("$(printf '%-58s %14s %9s' "$name" "$execs" "$findings")")
done

echo
printf '%-58s %14s %9s\n' "target" "executions" "findings"
printf '%s\n' "${rows[@]}"
printf '%-58s %14s %9s\n' "total (${#selected[@]} targets, ${SECONDS_EACH}s each)" "$total" "$total_findings"
echo "logs: $LOGS/"
[[ $total_findings -eq 0 ]]
