#!/usr/bin/env bash
# End to end on loopback: atsign_sim, atsign_exporter and a real Prometheus (Debian's).
# Checks: the exposition passes `promtool check metrics` in the default and the full profile
# (a second exporter runs with --metrics.detail), the default has at most 8 series per atSign
# plus failure_info; gzip and OpenMetrics are served;
# Prometheus scrapes the exporter both as OpenMetrics+gzip (directly) and as text (through
# scripts/text_format_proxy.py), and PromQL gives the expected status of every simulated
# atSign in both jobs; the blackbox-style /probe job works; the alert rules load; every
# Grafana panel query returns data. Polls, never sleeps a fixed time; bounded in time.
#
#   scripts/e2e.sh     uses the debug binaries of `swift build` (BIN overrides the folder)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
WORK="$(mktemp -d -t atsign-e2e.XXXXXX)"
BIN="${BIN:-$(swift build --show-bin-path)}"
for tool in atsign_exporter atsign_sim; do [[ -x "$BIN/$tool" ]] || die "$BIN/$tool is missing: run swift build"; done
EXPORTER_PORT="$(free_port)"
DETAIL_PORT="$(free_port)"
PROXY_PORT="$(free_port)"
PROMETHEUS_PORT="$(free_port)"
EXPORTER="127.0.0.1:$EXPORTER_PORT"
DETAIL="127.0.0.1:$DETAIL_PORT"
PROM="http://127.0.0.1:$PROMETHEUS_PORT"

echo "e2e: starting atsign_sim (its default fleet: one atSign per scenario)"
start_simulator "$BIN/atsign_sim"
cat >"$WORK/atsigns.txt" <<'LIST'
@activated
@ready
@teapot
@notfound
@stopped
@hung
@garbage
@errorreply
@wronghost
@expired
LIST
"$BIN/atsign_exporter" --root.address "$ROOT_ADDRESS" --tls.ca-file "$WORK/ca.pem" \
    --atsigns.file "$WORK/atsigns.txt" --probe.interval 4s --probe.timeout 3s \
    --web.listen-address "$EXPORTER" >"$WORK/exporter.log" 2>&1 &
PIDS+=($!)
wait_for "http://$EXPORTER/-/ready" 60 "${PIDS[-1]}"
"$BIN/atsign_exporter" --root.address "$ROOT_ADDRESS" --tls.ca-file "$WORK/ca.pem" \
    --atsigns.file "$WORK/atsigns.txt" --probe.interval 4s --probe.timeout 3s --metrics.detail \
    --web.listen-address "$DETAIL" >"$WORK/exporter-detail.log" 2>&1 &
PIDS+=($!)
wait_for "http://$DETAIL/-/ready" 60 "${PIDS[-1]}"

echo "e2e: the exposition passes promtool check metrics (default and full profile)"
curl -sf "http://$EXPORTER/metrics" >"$WORK/metrics.txt"
curl -sf "http://$DETAIL/metrics" >"$WORK/metrics-detail.txt"
for body in "$WORK/metrics.txt" "$WORK/metrics-detail.txt"; do
    findings="$(promtool check metrics <"$body" 2>&1)" || die "promtool check metrics failed on $body: $findings"
    [[ -z "$findings" ]] || die "promtool check metrics found in $body: $findings"
    grep -q '^atsign_status{atsign="@activated",status="activated"} 1$' "$body" || die "no activated series in $body"
done
grep -q '^atsign_root_status{' "$WORK/metrics.txt" && die "the default profile shows atsign_root_status"
grep -q '^atsign_root_status{' "$WORK/metrics-detail.txt" || die "--metrics.detail does not show atsign_root_status"
python3 - "$WORK/metrics.txt" <<'PY' || die "the default profile has too many series per atSign"
import collections, re, sys
lines = [line for line in open(sys.argv[1]) if not line.startswith("#")]
counts = collections.Counter(m.group(1) for line in lines if (m := re.search(r'atsign="([^"]*)"', line)))
over = {a: n for a, n in counts.items() if n > 8}
if counts["@activated"] != 8 or over:
    sys.exit(f"series per atSign: {dict(counts)}; over the limit: {over}")
print(f"e2e: default profile: {sum(counts.values())} series for {len(counts)} atSigns, at most 8 each, @activated 8")
PY

echo "e2e: gzip and OpenMetrics are negotiated"
encoding="$(curl -s -o "$WORK/metrics.gz" -D - -H 'Accept-Encoding: gzip' "http://$EXPORTER/metrics" | tr -d '\r' |
    sed -n 's/^[Cc]ontent-[Ee]ncoding: //p')"
[[ "$encoding" == gzip ]] || die "no gzip Content-Encoding (got '$encoding')"
gunzip -c "$WORK/metrics.gz" | grep -q '^# TYPE atsign_up gauge$' || die "gzip body does not decompress to the exposition"
curl -sf -H 'Accept: application/openmetrics-text; version=1.0.0' "http://$EXPORTER/metrics" >"$WORK/metrics.om"
[[ "$(tail -n 1 "$WORK/metrics.om")" == "# EOF" ]] || die "OpenMetrics body does not end with # EOF"

echo "e2e: a real Prometheus scrapes it (OpenMetrics+gzip directly, text through a proxy)"
python3 scripts/text_format_proxy.py "$PROXY_PORT" "$EXPORTER" >"$WORK/proxy.log" 2>&1 &
PIDS+=($!)
# The rules as shipped, except that every group runs at the global interval: the per-atSign
# availability groups run every 5m/1h and would not have been evaluated yet in this short run.
python3 -c 'import sys, yaml
rules = yaml.safe_load(open("deploy/prometheus/alerts.yml"))
for group in rules["groups"]:
    group.pop("interval", None)
yaml.safe_dump(rules, open(sys.argv[1], "w"), sort_keys=False)' "$WORK/alerts.yml"
python3 - "$WORK/prometheus.yml" "$EXPORTER" "127.0.0.1:$PROXY_PORT" "$DETAIL" <<'PY'
import sys, yaml
out, exporter, proxy, detail = sys.argv[1:]
config = yaml.safe_load(open("deploy/prometheus/prometheus.yml"))
config["global"].update(scrape_interval="2s", evaluation_interval="2s")
config["rule_files"] = ["alerts.yml"]
jobs = []
for job in config["scrape_configs"]:
    if job["job_name"] == "atsign_exporter":
        job["static_configs"] = [{"targets": [exporter]}]
        text = dict(job, job_name="atsign_exporter_text", static_configs=[{"targets": [proxy]}])
        full = dict(job, job_name="atsign_exporter_detail", static_configs=[{"targets": [detail]}])
        jobs += [job, text, full]
    elif job["job_name"] == "atsign_probe":
        targets = ["@activated", "@slow", "@teapot"]
        job.update(scrape_interval="4s", scrape_timeout="4s", static_configs=[{"targets": targets}])
        for rule in job["relabel_configs"]:
            if rule.get("target_label") == "__address__":
                rule["replacement"] = exporter
        jobs.append(job)
config["scrape_configs"] = jobs
yaml.safe_dump(config, open(out, "w"), sort_keys=False)
PY
promtool check config "$WORK/prometheus.yml" >/dev/null || die "the e2e Prometheus config is invalid"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_for "$PROM/-/ready" 60 "${PIDS[-1]}"

python3 - "$PROM" <<'PY' || die "PromQL did not give the expected statuses"
import json, sys, time, urllib.parse, urllib.request
prom = sys.argv[1]
expected = {
    "@activated": "activated", "@ready": "teapot", "@teapot": "teapot", "@notfound": "notFound",
    "@stopped": "unavailable", "@hung": "unavailable", "@garbage": "error", "@errorreply": "error",
    "@wronghost": "unavailable", "@expired": "unavailable",
}
def query(expr):
    url = f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)["data"]["result"]
deadline = time.time() + 90
problems = ["nothing checked yet"]
while time.time() < deadline:
    problems = []
    for job in ("atsign_exporter", "atsign_exporter_text", "atsign_exporter_detail"):
        up = query(f'up{{job="{job}"}}')
        if not up or up[0]["value"][1] != "1":
            problems.append(f"{job} is not up")
            continue
        seen = {r["metric"]["atsign"]: r["metric"]["status"] for r in query(f'atsign_status{{job="{job}"}} == 1')}
        for atsign, status in expected.items():
            if seen.get(atsign) != status:
                problems.append(f"{job}: {atsign} is {seen.get(atsign)}, expected {status}")
        fleet = query(f'sum(atsign_exporter_atsigns_by_status{{job="{job}"}})')
        if not fleet or fleet[0]["value"][1] != str(len(expected)):
            problems.append(f"{job}: atsign_exporter_atsigns_by_status sums to {fleet}")
    detail = query('count(atsign_root_status{job="atsign_exporter_detail"})')
    if not detail or detail[0]["value"][1] != str(5 * len(expected)):
        problems.append(f"detail job: atsign_root_status has {detail} series")
    # The dashboard's rates need two scrapes of the detail job's counters.
    if not query('sum(rate(atsign_probes_total{job="atsign_exporter_detail"}[30s])) > 0'):
        problems.append("detail job: no rate of atsign_probes_total yet")
    # probe_success means activated, as atsign_up does: a teapot is not a success.
    probe = {r["metric"]["instance"]: r["value"][1] for r in query('probe_success{job="atsign_probe"}')}
    if probe.get("@activated") != "1" or probe.get("@teapot") != "0":
        problems.append(f"/probe job: probe_success is {probe}, expected @activated 1 and @teapot 0")
    if not problems:
        break
    time.sleep(1)
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
rules = json.load(urllib.request.urlopen(f"{prom}/api/v1/rules", timeout=5))["data"]["groups"]
bad = [r["name"] for g in rules for r in g["rules"] if r.get("health") != "ok"]
if not rules or bad:
    print(f"alert rules not healthy: {bad or 'none loaded'}", file=sys.stderr)
    sys.exit(1)
print(f"e2e: PromQL agrees for {len(expected)} atSigns in all three jobs; {sum(len(g['rules']) for g in rules)} rules healthy")
PY

echo "e2e: every Grafana panel query returns data"
# Recording rules and rates need a few scrapes and evaluations after the statuses agree: poll.
deadline=$((SECONDS + 60))
until python3 scripts/check_dashboard_queries.py --rate-interval 30s "$PROM" >"$WORK/dashboard.log" 2>&1; do
    if ((SECONDS >= deadline)); then
        cat "$WORK/dashboard.log"
        die "dashboard queries returned no data"
    fi
    sleep 2 # polling the dashboard queries until the deadline above
done
cat "$WORK/dashboard.log"
echo "e2e: 1 passed, 0 failed"
