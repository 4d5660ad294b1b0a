#!/usr/bin/env bash
# Shared by scripts/demo.sh, scripts/e2e.sh and scripts/bench.sh: processes started in the
# background are tracked by PID and stopped (newest first) when the script exits.
# The caller sets WORK (a temporary directory) after sourcing this file.
PIDS=()

# Stops what the script started, by PID, newest first; keeps WORK when KEEP=1.
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill "${PIDS[i]}" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    done
    if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'echo; echo "stopping..."; exit 0' INT TERM

die() {
    echo "$(basename "$0"): $*" >&2
    for log in "$WORK"/*.log; do
        [[ -f "$log" ]] && { echo "--- $log (last lines)" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

# wait_for URL SECONDS PID: until URL answers 200, the process dies, or time runs out.
wait_for() {
    local url="$1" deadline=$((SECONDS + $2)) pid="$3"
    until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || die "the process behind $url exited"
        ((SECONDS < deadline)) || die "$url did not answer 200 within $2 s"
        sleep 0.5
    done
}

# start_simulator BINARY [FLAGS...]: runs atsign_sim, waits for its `root=` line, sets
# ROOT_ADDRESS; the test CA lands in $WORK/ca.pem.
start_simulator() {
    "$@" --listen 127.0.0.1:0 --ca-out "$WORK/ca.pem" >"$WORK/sim.log" 2>&1 &
    PIDS+=($!)
    ROOT_ADDRESS=""
    for _ in $(seq 300); do
        ROOT_ADDRESS="$(sed -n 's/^root=\(.*\)$/\1/p' "$WORK/sim.log" | head -n 1)"
        [[ -n "$ROOT_ADDRESS" ]] && return 0
        kill -0 "${PIDS[-1]}" 2>/dev/null || die "atsign_sim exited"
        sleep 0.1
    done
    die "atsign_sim printed no root= line within 30 s"
}

# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
# A loopback port nothing is bound to, from below the kernel's ephemeral range (32768 and up):
# a port that port 0 handed out and we released is the next one the simulator's servers or an
# outgoing connection may take before our child binds it (the e2e run saw exactly that). Each
# call tries ports from a random start, binding without SO_REUSEADDR to be sure.
free_port() {
    python3 -c '
import random, socket
for _ in range(2000):
    port = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("free_port: no free port in 20000-31999")'
}
