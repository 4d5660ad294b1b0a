#!/usr/bin/env bash
# Sharding end to end on loopback: one simulated fleet (atsign_sim --generate), three exporters
# with --shard 0..2 --total-shards 3 over the same atSign list, and a real Prometheus scraping
# all three. Checks with PromQL that every atSign is reported exactly once across the shards;
# then stops one shard and checks that the shards-missing alert expression, read from
# deploy/prometheus/alerts.yml (the alert whose expression uses
# atsign_exporter_total_shards), becomes true. Polls, never sleeps a fixed time; bounded.
#
#   scripts/e2e-shards.sh   uses the debug binaries of `swift build` (BIN overrides the folder)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
WORK="$(mktemp -d -t atsign-e2e-shards.XXXXXX)"
BIN="${BIN:-$(swift build --show-bin-path)}"
for tool in atsign_exporter atsign_sim; do [[ -x "$BIN/$tool" ]] || die "$BIN/$tool is missing: run swift build"; done
FLEET=60
SHARDS=3
PROMETHEUS_PORT="$(free_port)"
PROM="http://127.0.0.1:$PROMETHEUS_PORT"

echo "e2e-shards: atsign_sim with $FLEET atSigns, $SHARDS exporter shards"
start_simulator "$BIN/atsign_sim" --generate "$FLEET"
for i in $(seq 1 "$FLEET"); do printf '@sim%05d\n' "$i"; done >"$WORK/atsigns.txt"
targets=()
shard_pids=()
for shard in $(seq 0 $((SHARDS - 1))); do
    address="127.0.0.1:$(free_port)"
    "$BIN/atsign_exporter" --root.address "$ROOT_ADDRESS" --tls.ca-file "$WORK/ca.pem" \
        --atsigns.file "$WORK/atsigns.txt" --shard "$shard" --total-shards "$SHARDS" \
        --probe.interval 3s --probe.timeout 2s --web.listen-address "$address" >"$WORK/shard$shard.log" 2>&1 &
    PIDS+=($!)
    shard_pids+=($!)
    targets+=("$address")
done
for shard in $(seq 0 $((SHARDS - 1))); do
    wait_for "http://${targets[shard]}/-/ready" 60 "${shard_pids[shard]}"
done

# The alert about missing shards, found by what it measures rather than by its name, so a
# renamed alert is still the one checked.
python3 - "$WORK/alert.json" <<'PY' || die "no alert over atsign_exporter_total_shards in alerts.yml"
import json, sys, yaml
rules = [r for g in yaml.safe_load(open("deploy/prometheus/alerts.yml"))["groups"] for r in g["rules"]]
found = [r for r in rules if "alert" in r and "atsign_exporter_total_shards" in r["expr"]]
assert len(found) == 1, f"expected one alert over atsign_exporter_total_shards, found {[r['alert'] for r in found]}"
json.dump({"alert": found[0]["alert"], "expr": found[0]["expr"]}, open(sys.argv[1], "w"))
PY

python3 - "$WORK/prometheus.yml" "${targets[@]}" <<'PY'
import sys, yaml
out, *targets = sys.argv[1:]
config = {
    "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
    "scrape_configs": [{"job_name": "atsign_exporter", "static_configs": [{"targets": targets}]}],
}
yaml.safe_dump(config, open(out, "w"), sort_keys=False)
PY
promtool check config "$WORK/prometheus.yml" >/dev/null || die "the e2e-shards Prometheus config is invalid"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_for "$PROM/-/ready" 60 "${PIDS[-1]}"

# query.py MODE: polls PromQL until the condition of MODE holds (exit 0) or 90 s pass (exit 1).
cat >"$WORK/query.py" <<'PY'
import json, sys, time, urllib.parse, urllib.request
prom, mode, fleet, shards, alert_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
alert = json.load(open(alert_file))
def query(expr):
    url = f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)["data"]["result"]
def all_once():
    per_atsign = query('count by (atsign) (atsign_up{job="atsign_exporter"})')
    twice = [r["metric"]["atsign"] for r in per_atsign if r["value"][1] != "1"]
    per_shard = query('count by (instance) (atsign_up{job="atsign_exporter"})')
    up = query('sum(up{job="atsign_exporter"})')
    problems = []
    if len(per_atsign) != fleet:
        problems.append(f"{len(per_atsign)} distinct atSigns reported, expected {fleet}")
    if twice:
        problems.append(f"reported by more than one shard: {twice[:5]}")
    if len(per_shard) != shards or not up or up[0]["value"][1] != str(shards):
        problems.append(f"{len(per_shard)} shards report atSigns, {up and up[0]['value'][1]} are up")
    if query(alert["expr"]):
        problems.append(f"{alert['alert']} is true with every shard up")
    return problems, f"{fleet} atSigns once each over {[int(r['value'][1]) for r in per_shard]} atSigns per shard"
def missing():
    result = query(alert["expr"])
    if not result:
        return [f"{alert['alert']} expression is not true yet"], ""
    return [], f"{alert['alert']} expression is true: {result[0]['value'][1]} shards reporting"
deadline, problems = time.time() + 90, ["nothing checked yet"]
while time.time() < deadline:
    problems, summary = (all_once if mode == "all-once" else missing)()
    if not problems:
        print(f"e2e-shards: {summary}")
        sys.exit(0)
    time.sleep(1)
print("\n".join(problems), file=sys.stderr)
sys.exit(1)
PY

echo "e2e-shards: PromQL sees every atSign exactly once across the shards"
python3 "$WORK/query.py" "$PROM" all-once "$FLEET" "$SHARDS" "$WORK/alert.json" || die "the shards do not partition the fleet"

echo "e2e-shards: shard 1 stops; the shards-missing expression must become true"
kill "${shard_pids[1]}"
timeout 10 tail --pid="${shard_pids[1]}" -f /dev/null || die "shard 1 did not stop on SIGTERM"
python3 "$WORK/query.py" "$PROM" missing "$FLEET" "$SHARDS" "$WORK/alert.json" || die "the shards-missing alert did not fire"
echo "e2e-shards: passed"
