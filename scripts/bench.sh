#!/usr/bin/env bash
# Benchmarks on loopback, side by side with their references, in one bounded run (~8 min on 2
# cores): atsign_sim, atsign_exporter (release), nginx, prometheus-blackbox-exporter, Prometheus,
# openssl s_time, wrk and the in-process atsign_bench. Prints every figure with its reference and
# ratio and rewrites BENCHMARKS.md (scripts/bench_report.py), then runs the real-world round
# (scripts/bench-realworld.sh). Benchmarks are not tests: CI never runs this. Run as root to
# install missing Debian tools, else the apt-get line is printed.
#
#   scripts/bench.sh              full run (10,000 simulated atSigns)
#   BENCH_ATSIGNS=2000 scripts/bench.sh   a smaller fleet, for a quick look
#   KEEP=1 scripts/bench.sh       keep the work folder (logs, bodies, figures.txt)
#   BENCH_ONLY=scrape scripts/bench.sh   only the figures of issue 11 (scrape, memory, probe CPU), ~10 min
#   BENCH_ONLY=busy scripts/bench.sh     sections by name (see below), printed, BENCHMARKS.md untouched
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
WORK="$(mktemp -d -t atsign-bench.XXXXXX)"
chmod 755 "$WORK" # nginx workers (user nobody) read the static body from here
N="${BENCH_ATSIGNS:-10000}"
TIMEOUT="${BENCH_TIMEOUT:-5s}" # probe deadline: every hung probe must be cut here
FIGURES="$WORK/figures.txt"
STARTED=$SECONDS
: >"$FIGURES"

fig() { echo "$1=$2" >>"$FIGURES"; printf '  %-44s %s\n' "$1" "$2"; }
cmd() { echo "cmd_$1=$2" >>"$FIGURES"; }
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / t }' "/proc/$1/stat"; }
rss_of() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }
scrape() { curl -sf --max-time 30 "$1"; }
# metric_sum URL NAME [LABEL-REGEX]: the sum of a metric's samples whose line matches the regex.
metric_sum() {
    scrape "$1" | awk -v n="$2" -v re="${3:-}" '$1 ~ "^"n"({|$)" && $0 ~ re { s += $NF } END { print s + 0 }'
}
bench() { "$BIN/atsign_bench" "$@"; }

need_tools() {
    local missing=()
    for pair in wrk:wrk nginx:nginx-light prometheus-blackbox-exporter:prometheus-blackbox-exporter \
        prometheus:prometheus openssl:openssl curl:curl; do
        command -v "${pair%%:*}" >/dev/null || [[ -x "/usr/sbin/${pair%%:*}" ]] || missing+=("${pair#*:}")
    done
    ((${#missing[@]} == 0)) && return 0
    local install="apt-get install -y --no-install-recommends ${missing[*]}"
    [[ "$(id -u)" == 0 ]] || die "missing tools; run: $install"
    echo "bench: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $install >"$WORK/apt.log" 2>&1 || die "$install failed"
}

# start_exporter NAME ATSIGNS-FILE INTERVAL [FLAGS...]: sets EXPORTER (host:port) and EXPORTER_PID.
# The interval lives in a config file so `quiet_after_round` can stretch it by a reload.
start_exporter() {
    local name="$1" list="$2" interval="$3"
    shift 3
    EXPORTER="127.0.0.1:$(free_port)"
    printf '{"probe.interval": "%s"}\n' "$interval" >"$WORK/$name.json"
    "$BIN/atsign_exporter" --root.address "$ROOT_ADDRESS" --tls.ca-file "$WORK/ca.pem" \
        --config.file "$WORK/$name.json" --atsigns.file "$list" --probe.timeout "$TIMEOUT" \
        --web.listen-address "$EXPORTER" "$@" >"$WORK/$name.log" 2>&1 &
    EXPORTER_PID=$!
    PIDS+=("$EXPORTER_PID")
    wait_for "http://$EXPORTER/-/healthy" 60 "$EXPORTER_PID"
}

# quiet_after_round NAME: the round in progress keeps its schedule; the next one starts in 1 h.
quiet_after_round() {
    printf '{"probe.interval": "1h"}\n' >"$WORK/$1.json"
    curl -sf -X POST "http://$EXPORTER/-/reload" >/dev/null || die "reload of $1 failed"
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    timeout 10 tail --pid="$1" -f /dev/null 2>/dev/null || kill -9 "$1" 2>/dev/null || true
}

atsign_list() { # atsign_list COUNT FILE: @sim00001 ... as atsign_sim --generate names them
    python3 -c 'import sys; n = int(sys.argv[1]); w = max(5, len(str(n)))
print("\n".join("@sim" + str(i).zfill(w) for i in range(1, n + 1)))' "$1" >"$2"
}

# shellcheck source=scripts/bench_figures.sh
source "$ROOT/scripts/bench_figures.sh"
# shellcheck source=scripts/bench_scrape.sh
source "$ROOT/scripts/bench_scrape.sh"

need_tools
echo "bench: building release binaries"
swift build -c release >"$WORK/build.log" 2>&1 || die "swift build -c release failed (see $WORK/build.log)"
BIN="$(swift build -c release --show-bin-path)"
fig machine "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
fig load_at_start "$(cut -d' ' -f1 /proc/loadavg)"
fig command "${BENCH_ONLY:+BENCH_ONLY=$BENCH_ONLY }scripts/bench.sh"
fig atsigns "$N"

echo "bench: atsign_sim --generate $N --mix activated=90,hung=10"
start_simulator "$BIN/atsign_sim" --generate "$N" --mix activated=90,hung=10
SIMULATOR_PID="${PIDS[-1]}"
atsign_list "$N" "$WORK/atsigns.txt"

# BENCH_ONLY: "scrape" (the figures of issue 11 and the probe CPU reference) or a comma list of
# sections: round (one round of N, figure 1 and RSS), handshake (its openssl s_time reference;
# needs round), pairs (two more rounds and s_time; needs handshake), niced (1b: figure 1 with
# the simulator at nice 10), quiet (3; needs round),
# busy (3b), cost (3c), memory (5), marginal (5b).
case "${BENCH_ONLY:-}" in
"") SECTIONS="" ;;
scrape) SECTIONS="round,handshake,pairs,niced,quiet,busy,cost,memory,marginal" ;;
*) SECTIONS="$BENCH_ONLY" ;;
esac
section() { [[ ",$SECTIONS," == *",$1,"* ]]; }

if [[ -n "$SECTIONS" ]]; then
    if section round; then
        one_round round1 "$N" # 1 and 5 (RSS after a round); the quiet exporter of figure 3
        BIG_EXPORTER="$EXPORTER"
        BIG_PID="$EXPORTER_PID"
    fi
    section handshake && figure_handshake # 1's reference: bare handshakes, openssl s_time and NetIO
    section pairs && figure_cpu_pairs     # 1: two more pairs of a round and its s_time
    section quiet && figure_scrape        # 3: quiet /metrics against nginx, Prometheus
    section busy && figure_round_scrape   # 3b: /metrics while rounds run, against nginx in the same minute
    section cost && figure_scrape_cost    # 3c: scrape cost after 1, 100 and N changed atSigns, in-process
    section memory && figure_memory       # 5: 30 rounds of 1,000
    section marginal && figure_marginal_memory # 5b: 10,000 against 100,000 configured
    if [[ -n "${BIG_PID:-}" ]]; then stop_pid "$BIG_PID"; fi
    section niced && figure_niced_simulator # 1b, last: it replaces the simulator
else
    figure_rounds          # 1, 6 and 5 (RSS at N): rounds at N, N/10 and N/100 atSigns
    figure_handshake       # 1's reference: bare handshakes, openssl s_time and NetIO
    figure_cpu_pairs       # 1: two more pairs of a round and its s_time
    figure_root            # 2: root handshakes per 10,000 lookups, in-process
    figure_scrape          # 3: wrk against /metrics and nginx, Prometheus scrape_duration_seconds
    figure_blackbox        # 4: blackbox_exporter /probe against ours
    figure_round_scrape    # 3b: /metrics while rounds run, against nginx in the same minute
    figure_scrape_cost     # 3c: scrape cost after 1, 100 and N changed atSigns, in-process
    figure_memory          # 5: 30 rounds of 1,000
    figure_marginal_memory # 5b: 10,000 against 100,000 configured
    figure_render          # 6: in-process render at 1,000, 10,000 and 100,000
    figure_niced_simulator # 1b, last: it replaces the simulator
fi
fig total_seconds "$((SECONDS - STARTED))"
# Only a full run or BENCH_ONLY=scrape rewrites BENCHMARKS.md; smaller subsets just print.
if [[ -z "${BENCH_ONLY:-}" || "$BENCH_ONLY" == scrape ]]; then
    python3 scripts/bench_report.py "$FIGURES" BENCHMARKS.md
else
    python3 scripts/bench_report.py "$FIGURES"
fi
if [[ -z "${BENCH_ONLY:-}" ]]; then
    echo "bench: the real-world round (root 400 ms away, atServers 50 ms away)"
    BIN="$BIN" BENCH_ATSIGNS="$N" scripts/bench-realworld.sh
fi
