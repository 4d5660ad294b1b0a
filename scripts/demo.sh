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

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
WORK="$(mktemp -d -t atsign-demo.XXXXXX)"

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
start_simulator "$BIN/atsign_sim"

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
