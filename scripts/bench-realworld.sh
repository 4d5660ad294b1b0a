#!/usr/bin/env bash
# The real-world round (issue 9): N activated atSigns (default 10,000), the root 400 ms away
# (800 ms for a new connection's TCP + TLS round trips), every atServer 50 ms away (100 ms for a
# handshake), the default interval (60 s), timeout (10 s), concurrency and root pool. Counts
# the atSigns that come back activated, the round's duration, the false failures, and samples
# atsign_root_up every 5 s through the round. Prints the figures and rewrites the
# "Real world" block of BENCHMARKS.md. Benchmarks are not tests: CI never runs this.
#
#   scripts/bench-realworld.sh                        full run (~1-2 min once built)
#   BENCH_ATSIGNS=1000 scripts/bench-realworld.sh     a smaller fleet
#   BIN=.build/release scripts/bench-realworld.sh     skip the build (bench.sh passes its own)
#   BENCH_DNS_DELAY=100ms scripts/bench-realworld.sh  root and atServers by DNS name, through the
#       system resolver, from the simulator's DNS responder answering that late: all of it runs
#       in a network namespace of its own (needs root and iproute2); its own BENCHMARKS.md block
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
WORK="$(mktemp -d -t atsign-realworld.XXXXXX)"
N="${BENCH_ATSIGNS:-10000}"
INTERVAL="${BENCH_INTERVAL:-60s}"
SIM_FLAGS=(--root-latency 400ms --root-handshake-latency 800ms --server-latency 50ms --server-handshake-latency 100ms)
FIGURES="$WORK/figures.txt"
: >"$FIGURES"
IN=() # the prefix that runs a command inside the namespace, when there is one
BLOCK=realworld
if [[ -n "${BENCH_DNS_DELAY:-}" ]]; then
    [[ "$(id -u)" == 0 ]] || die "BENCH_DNS_DELAY needs root (a network namespace and port 53 in it)"
    NS="atsign-bench-$$"
    ip netns add "$NS" || die "ip netns add $NS failed"
    # The namespace and its resolv.conf go when the script ends, then lib.sh's cleanup runs.
    remove_namespace() {
        local status=$?
        ip netns del "$NS" 2>/dev/null || true
        rm -rf "/etc/netns/$NS"
        (exit "$status")
        cleanup
    }
    trap remove_namespace EXIT
    ip -n "$NS" link set lo up
    mkdir -p "/etc/netns/$NS"
    printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' >"/etc/netns/$NS/resolv.conf"
    IN=(ip netns exec "$NS")
    SIM_FLAGS+=(--dns.listen 127.0.0.1:53 --dns.mode "slow:$BENCH_DNS_DELAY")
    BLOCK=realworld-dns
fi
fig() { echo "$1=$2" >>"$FIGURES"; printf '  %-34s %s\n' "$1" "$2"; }
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / t }' "/proc/$1/stat"; }

if [[ -z "${BIN:-}" ]]; then
    echo "bench-realworld: building release binaries"
    swift build -c release >"$WORK/build.log" 2>&1 || die "swift build -c release failed (see $WORK/build.log)"
    BIN="$(swift build -c release --show-bin-path)"
fi
fig load_at_start "$(cut -d' ' -f1 /proc/loadavg)"
echo "bench-realworld: atsign_sim --generate $N ${SIM_FLAGS[*]}"
start_simulator "${IN[@]}" "$BIN/atsign_sim" --generate "$N" --mix activated=100 "${SIM_FLAGS[@]}"
python3 -c 'import sys; n = int(sys.argv[1]); w = max(5, len(str(n)))
print("\n".join("@sim" + str(i).zfill(w) for i in range(1, n + 1)))' "$N" >"$WORK/atsigns.txt"

EXPORTER="127.0.0.1:$(free_port)"
EXPORTER_FLAGS=(--probe.interval "$INTERVAL")
"${IN[@]}" "$BIN/atsign_exporter" --root.address "$ROOT_ADDRESS" --tls.ca-file "$WORK/ca.pem" \
    --atsigns.file "$WORK/atsigns.txt" --web.listen-address "$EXPORTER" "${EXPORTER_FLAGS[@]}" \
    >"$WORK/exporter.log" 2>&1 &
PID=$!
PIDS+=("$PID")
fig command "${BENCH_DNS_DELAY:+BENCH_DNS_DELAY=$BENCH_DNS_DELAY: }atsign_sim --generate $N --mix activated=100 ${SIM_FLAGS[*]}; atsign_exporter ${EXPORTER_FLAGS[*]} (defaults otherwise), first round until /-/ready"
STARTED=$SECONDS
SAMPLES=0
DOWN=0
until "${IN[@]}" curl -sf --max-time 2 "http://$EXPORTER/-/ready" >/dev/null; do
    kill -0 "$PID" 2>/dev/null || die "atsign_exporter exited"
    ((SECONDS - STARTED < 300)) || die "no first round within 300 s"
    up="$("${IN[@]}" curl -sf --compressed --max-time 10 "http://$EXPORTER/metrics" | awk '/^atsign_root_up\{/ { print $NF }')" || true
    if [[ -n "$up" ]]; then
        SAMPLES=$((SAMPLES + 1))
        [[ "$up" == 1 ]] || DOWN=$((DOWN + 1))
    fi
    sleep 5
done
METRICS="$WORK/metrics.txt"
"${IN[@]}" curl -sf --max-time 30 "http://$EXPORTER/metrics" >"$METRICS"
ACTIVATED="$(grep -c '^atsign_status{.*status="activated"} 1$' "$METRICS" || true)"
fig atsigns "$N"
fig interval "$INTERVAL"
fig activated "$ACTIVATED"
fig false_failures "$((N - ACTIVATED))"
fig round_seconds "$(awk '/^atsign_exporter_probe_round_duration_seconds / { printf "%.1f", $NF }' "$METRICS")"
fig root_up_at_end "$(awk '/^atsign_root_up\{/ { print $NF }' "$METRICS")"
fig root_up_samples_during_round "$SAMPLES (down in $DOWN)"
fig failure_reasons "$(grep '^atsign_probe_failure_info{' "$METRICS" | sed 's/.*phase="\([^"]*\)",reason="\([^"]*\)".*/\1:\2/' | sort | uniq -c | tr -s ' ' | paste -sd, - || true)"
fig exporter_cpu_seconds "$(cpu_of "$PID")"
fig load_at_end "$(cut -d' ' -f1 /proc/loadavg)"

python3 - "$FIGURES" BENCHMARKS.md "$BLOCK" <<'PY'
import sys
figures = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]) if "=" in line)
BEGIN, END = f"<!-- {sys.argv[3]}:begin -->", f"<!-- {sys.argv[3]}:end -->"
rows = [
    ("atSigns activated (all must be)", f"{figures['activated']} of {figures['atsigns']}"),
    ("false failures", figures["false_failures"] + (f" ({figures['failure_reasons']})" if figures["failure_reasons"] else "")),
    (f"round duration (interval {figures['interval']})", figures["round_seconds"] + " s"),
    ("atsign_root_up during the round", "1 in every sample: " + figures["root_up_samples_during_round"]
        if figures["root_up_samples_during_round"].endswith("(down in 0)") else figures["root_up_samples_during_round"]),
    ("atsign_root_up at the end", figures["root_up_at_end"]),
    ("exporter CPU for the round", figures["exporter_cpu_seconds"] + " s"),
    ("load average at start / end", f"{figures['load_at_start']} / {figures['load_at_end']}"),
]
text = "\n".join([BEGIN, "| figure | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
                 + ["", "Command: `scripts/bench-realworld.sh`: " + figures["command"] + ".", END])
print(text)
doc = open(sys.argv[2]).read()
if BEGIN in doc:
    head, _, rest = doc.partition(BEGIN)
    doc = head + text + rest.partition(END)[2]
else:
    title = "Real world, atServers by DNS name" if sys.argv[3] == "realworld-dns" else "Real world"
    doc = doc.rstrip("\n") + f"\n\n## {title}\n\n" + text + "\n"
open(sys.argv[2], "w").write(doc)
PY
