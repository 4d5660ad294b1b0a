#!/usr/bin/env bash
# A local demo on loopback: the simulated atRoot and atServers (atsign_sim), the exporter
# probing them, and a Prometheus using the shipped scrape config and alerts.
#
#   scripts/demo.sh                 build, start everything, print the URLs; Ctrl-C stops all
#   scripts/demo.sh --no-build      use the binaries already built in .build/release
#   scripts/demo.sh --check         start, wait for data, run scripts/check_dashboard_queries.py
#                                   against the Prometheus, stop, exit with its status
#
# Environment: EXPORTER_PORT (9713), PROMETHEUS_PORT (9090), SWIFT (swift), KEEP=1 keeps the
# working directory (logs, Prometheus data) after exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXPORTER_PORT="${EXPORTER_PORT:-9713}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
SWIFT="${SWIFT:-swift}"
BUILD=1
CHECK=0
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        --check) CHECK=1 ;;
        -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "demo.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done
command -v prometheus >/dev/null || { echo "demo.sh: prometheus not found (apt-get install prometheus)" >&2; exit 2; }

WORK="$(mktemp -d -t atsign-demo.XXXXXX)"
PIDS=()

# Stops what this script started, by PID, newest first; keeps the logs when asked.
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
    echo "demo.sh: $*" >&2
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

cd "$ROOT"
if ((BUILD)); then
    echo "building (swift build -c release)..."
    timeout 1800 "$SWIFT" build -c release --product atsign_exporter
    timeout 1800 "$SWIFT" build -c release --product atsign_sim
fi
BIN="$("$SWIFT" build -c release --show-bin-path)"
for tool in atsign_exporter atsign_sim; do
    [[ -x "$BIN/$tool" ]] || die "$BIN/$tool is missing: run without --no-build"
done

# 1. The simulator prints `root=127.0.0.1:PORT` once it listens.
"$BIN/atsign_sim" --listen 127.0.0.1:0 --ca-out "$WORK/ca.pem" >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
ROOT_ADDRESS=""
for _ in $(seq 100); do
    ROOT_ADDRESS="$(sed -n 's/^root=\(.*\)$/\1/p' "$WORK/sim.log" | head -n 1)"
    [[ -n "$ROOT_ADDRESS" ]] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || die "atsign_sim exited"
    sleep 0.1
done
[[ -n "$ROOT_ADDRESS" ]] || die "atsign_sim printed no root= line within 10 s"

# 2. The exporter probes the simulator's default fleet in the background, except two atSigns
#    left to the blackbox-style /probe job (an atSign in both would alert twice).
PROBE_TARGETS=(@slow @expired)
cat >"$WORK/atsigns.txt" <<'EOF'
# the default fleet of atsign_sim, one atSign per scenario
@activated
@ready
@teapot
@notfound
@stopped
@hung
@garbage
@errorreply
@wronghost
EOF
"$BIN/atsign_exporter" --root.address "$ROOT_ADDRESS" --tls.ca-file "$WORK/ca.pem" \
    --atsigns.file "$WORK/atsigns.txt" --probe.interval 5s \
    --web.listen-address "127.0.0.1:$EXPORTER_PORT" >"$WORK/exporter.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$EXPORTER_PORT/-/healthy" 20 "${PIDS[-1]}"

# 3. Prometheus with a demo copy of deploy/prometheus: same jobs, relabeling and alerts, local
#    addresses, short intervals.
cp deploy/prometheus/alerts.yml "$WORK/alerts.yml"
python3 - "$WORK/prometheus.yml" "127.0.0.1:$EXPORTER_PORT" "${PROBE_TARGETS[@]}" <<'EOF'
import sys, yaml
out, exporter, probe_targets = sys.argv[1], sys.argv[2], sys.argv[3:]
config = yaml.safe_load(open("deploy/prometheus/prometheus.yml"))
config["global"].update(scrape_interval="5s", evaluation_interval="5s")
for job in config["scrape_configs"]:
    if job["job_name"] == "atsign_exporter":
        job["static_configs"] = [{"targets": [exporter]}]
    elif job["job_name"] == "atsign_probe":
        job.update(scrape_interval="15s", scrape_timeout="12s")
        job["static_configs"] = [{"targets": probe_targets}]
        for rule in job["relabel_configs"]:
            if rule.get("target_label") == "__address__":
                rule["replacement"] = exporter
yaml.safe_dump(config, open(out, "w"), sort_keys=False)
EOF
promtool check config "$WORK/prometheus.yml" >/dev/null || die "the demo Prometheus config is invalid"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" 30 "${PIDS[-1]}"

cat <<EOF

atsign_exporter demo is running (working directory $WORK)
  simulated atRoot   $ROOT_ADDRESS  (CA certificate $WORK/ca.pem)
  exporter           http://127.0.0.1:$EXPORTER_PORT/          status of every atSign
                     http://127.0.0.1:$EXPORTER_PORT/metrics
                     http://127.0.0.1:$EXPORTER_PORT/probe?target=@activated
  Prometheus         http://127.0.0.1:$PROMETHEUS_PORT/targets
                     http://127.0.0.1:$PROMETHEUS_PORT/alerts
  Grafana (yours)    add http://127.0.0.1:$PROMETHEUS_PORT as a Prometheus data source and
                     import grafana/dashboards/atsign.json
EOF

if ((CHECK)); then
    # Two probe rounds, scrapes and a rate window: then every dashboard query must have data.
    echo "waiting 40 s for data..."
    sleep 40
    python3 scripts/check_dashboard_queries.py --rate-interval 30s "http://127.0.0.1:$PROMETHEUS_PORT"
    exit $?
fi
echo "Ctrl-C stops everything."
while true; do
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || die "process $pid exited"
    done
    sleep 2
done
