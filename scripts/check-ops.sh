#!/usr/bin/env bash
# Runs every offline check of deploy/ and grafana/: Prometheus configs, alert rules and their
# unit tests and fleet-scale scenarios (with a mutation check proving the tests meaningful),
# the generated files (alerts.yml, PrometheusRule, scenarios) against their generators, the
# Alertmanager inhibition example, the example web config,
# the Kubernetes manifests, the systemd unit, the Dockerfile's healthcheck and the Grafana
# dashboard. Each check is time-bounded. Exits 1 when any check fails; the last line is
# `ops checks: N passed, M failed`.
#
# Needs (Debian): see scripts/ops-deps.txt. systemd-analyze and shellcheck are optional.
# GRAFANA_SCHEMA overrides the dashboard schema path (default ../shared/schemas/... from the
# repository root); CHECK_TIMEOUT the seconds each check may take (default 180).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
export ROOT
export GRAFANA_SCHEMA="${GRAFANA_SCHEMA:-$ROOT/../shared/schemas/grafana-dashboard.schema.json}"
CHECK_TIMEOUT="${CHECK_TIMEOUT:-180}"
TMP="$(mktemp -d)"
export TMP
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
skipped=()
failures=()

# run NAME FUNCTION: runs FUNCTION in a time-bounded child bash; exit 77 means "skipped".
run() {
    local name="$1" fn="$2" output status
    output="$(timeout --kill-after=5 "$CHECK_TIMEOUT" bash -c "set -uo pipefail; $fn" 2>&1)"
    status=$?
    if [[ $status -eq 0 ]]; then
        passed=$((passed + 1))
        printf 'PASS  %s\n' "$name"
    elif [[ $status -eq 77 ]]; then
        skipped+=("$name")
        printf 'SKIP  %s: %s\n' "$name" "$output"
    else
        failed=$((failed + 1))
        failures+=("$name")
        [[ $status -eq 124 ]] && output+=$'\n'"(timed out after ${CHECK_TIMEOUT}s)"
        printf 'FAIL  %s (exit %d)\n%s\n' "$name" "$status" "$(sed 's/^/      /' <<<"$output")"
    fi
}

tools() {
    local missing=()
    for tool in promtool htpasswd openssl python3; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    for module in yaml jsonschema kubernetes_validate; do
        python3 -c "import $module" 2>/dev/null || missing+=("python module $module")
    done
    if ((${#missing[@]})); then
        echo "missing: ${missing[*]} (install the packages in scripts/ops-deps.txt)"
        return 1
    fi
}

prometheus_configs() {
    promtool check config deploy/prometheus/prometheus.yml &&
        promtool check config deploy/prometheus/prometheus-sharded.yml
}

# Targets of a job after relabeling, as JSON lines of their labels (dropped targets left out).
targets() {
    promtool check service-discovery --timeout=5s "$1" "$2" |
        python3 -c 'import json, sys
for t in json.load(sys.stdin):
    if t.get("labels"): print(json.dumps(t["labels"], sort_keys=True))'
}

probe_relabeling() {
    targets deploy/prometheus/prometheus.yml atsign_probe >"$TMP/probe.json" || return 1
    python3 - "$TMP/probe.json" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
assert rows, "job atsign_probe has no target"
for labels in rows:
    target = labels.get("__param_target", "")
    assert target.startswith("@"), f"__param_target is {target!r}, not an atSign"
    assert labels.get("instance") == target, f"instance {labels.get('instance')!r} != target {target!r}"
    assert not labels["__address__"].startswith("@"), f"__address__ is still the atSign {target}"
    assert labels.get("__metrics_path__") == "/probe", "metrics path is not /probe"
print(f"{len(rows)} atSign targets: ?target=<atSign>, instance=<atSign>, scraping {rows[0]['__address__']}")
EOF
}

sharded_partition() {
    # Shard 1's copy of the file; together the two shards must keep every target exactly once.
    sed 's/regex: "0"/regex: "1"/' deploy/prometheus/prometheus-sharded.yml >"$TMP/shard1.yml"
    cp deploy/prometheus/alerts.yml "$TMP/"
    for job in atsign_exporter atsign_probe; do
        targets deploy/prometheus/prometheus-sharded.yml "$job" >"$TMP/s0" || return 1
        targets "$TMP/shard1.yml" "$job" >"$TMP/s1" || return 1
        all="$(python3 -c 'import yaml, sys
c = yaml.safe_load(open(sys.argv[1]))
job = next(j for j in c["scrape_configs"] if j["job_name"] == sys.argv[2])
print(sum(len(s["targets"]) for s in job["static_configs"]))' deploy/prometheus/prometheus-sharded.yml "$job")"
        n0=$(wc -l <"$TMP/s0") n1=$(wc -l <"$TMP/s1")
        sed 's/"__tmp_hash": "[01]", //' "$TMP/s0" | sort >"$TMP/a"
        sed 's/"__tmp_hash": "[01]", //' "$TMP/s1" | sort >"$TMP/b"
        common=$(comm -12 "$TMP/a" "$TMP/b" | wc -l)
        echo "$job: shard 0 keeps $n0, shard 1 keeps $n1, of $all targets; $common in both"
        [[ $n0 -gt 0 && $n1 -gt 0 && $((n0 + n1)) -eq $all && $common -eq 0 ]] || return 1
    done
}

rules_check() { promtool check rules deploy/prometheus/alerts.yml; }
rules_test() { (cd deploy/prometheus && promtool test rules alerts_test.yml alerts_exporter_test.yml alerts_scenarios_test.yml); }
rules_mutations() { python3 scripts/check_alerts.py --mutations; }
rules_metadata() { python3 scripts/check_alerts.py --metadata; }
rules_variants() { python3 scripts/check_alerts.py --variants; }
prometheusrule_sync() { python3 scripts/gen_alerts.py --check; }
scenarios_sync() { python3 scripts/gen_alert_scenarios.py --check; }

alertmanager_inhibit() {
    command -v amtool >/dev/null || { echo "amtool not installed (Debian: prometheus-alertmanager)"; return 77; }
    amtool check-config deploy/prometheus/alertmanager-inhibit.yml
}

web_config() {
    # promtool loads the key pair, so point a copy at a throwaway certificate.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
        -keyout "$TMP/tls.key" -out "$TMP/tls.crt" 2>/dev/null || { echo "openssl could not make a test certificate"; return 1; }
    sed -e "s#/etc/atsign_exporter/tls.crt#$TMP/tls.crt#" -e "s#/etc/atsign_exporter/tls.key#$TMP/tls.key#" \
        deploy/web-config.example.yml >"$TMP/web-config.yml"
    grep -q "$TMP/tls.crt" "$TMP/web-config.yml" || { echo "web-config.example.yml no longer uses /etc/atsign_exporter/tls.crt"; return 1; }
    promtool check web-config "$TMP/web-config.yml" || return 1
    # The documented example password must match the shipped hash, and a wrong one must not.
    python3 -c 'import yaml, sys
for user, hash in yaml.safe_load(open(sys.argv[1]))["basic_auth_users"].items(): print(f"{user}:{hash}")' \
        deploy/web-config.example.yml >"$TMP/htpasswd"
    htpasswd -vb "$TMP/htpasswd" prometheus changeme && ! htpasswd -vb "$TMP/htpasswd" prometheus wrong 2>/dev/null
}

kubernetes_core() { python3 scripts/check_kubernetes.py --core; }
kubernetes_crds() { python3 scripts/check_kubernetes.py --crds; }
kubernetes_wiring() { python3 scripts/check_kubernetes.py --wiring; }

systemd_unit() {
    command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed"; return 77; }
    local unit=deploy/systemd/atsign_exporter.service out
    # The shipped unit must fail only because the binary is not installed here ...
    out="$(systemd-analyze verify "$unit" 2>&1)"
    if [[ -n "$out" ]] && grep -v 'Command /usr/local/bin/atsign_exporter is not executable' <<<"$out" | grep -q .; then
        echo "$out"
        return 1
    fi
    # ... and a copy running a stand-in executable must verify cleanly.
    mkdir -p "$TMP/systemd/bin"
    cp /bin/true "$TMP/systemd/bin/atsign_exporter"
    sed "s#^\(ExecStart\(Pre\)\?\)=/usr/local/bin/atsign_exporter #\1=$TMP/systemd/bin/atsign_exporter #" "$unit" \
        >"$TMP/systemd/atsign_exporter.service"
    grep -q "^ExecStart=$TMP" "$TMP/systemd/atsign_exporter.service" || { echo "ExecStart is not /usr/local/bin/atsign_exporter ..."; return 1; }
    grep -q "^ExecStartPre=$TMP/systemd/bin/atsign_exporter --config.check " "$TMP/systemd/atsign_exporter.service" ||
        { echo "ExecStartPre does not run atsign_exporter --config.check"; return 1; }
    cp deploy/systemd/atsign_exporter.socket "$TMP/systemd/"
    out="$(systemd-analyze verify "$TMP/systemd/atsign_exporter.service" "$TMP/systemd/atsign_exporter.socket" 2>&1)" ||
        { echo "$out"; return 1; }
    [[ -z "$out" ]] || { echo "$out"; return 1; }
    # Hardening: systemd's own exposure score must stay at 2.0 ("OK") or below.
    systemd-analyze security --offline=yes --threshold=20 "$TMP/systemd/atsign_exporter.service" >"$TMP/security" 2>&1 ||
        { tail -3 "$TMP/security"; return 1; }
    grep 'Overall exposure' "$TMP/security"
}

systemd_environment() {
    # ExecStart expands $ATSIGN_EXPORTER_ARGS, which the EnvironmentFile must define with known flags.
    grep -q '^ExecStart=.*\$ATSIGN_EXPORTER_ARGS' deploy/systemd/atsign_exporter.service || { echo "ExecStart lacks \$ATSIGN_EXPORTER_ARGS"; return 1; }
    grep -q '^ExecReload=.*kill -HUP \$MAINPID' deploy/systemd/atsign_exporter.service || { echo "ExecReload does not send SIGHUP"; return 1; }
    (set -a; . deploy/systemd/atsign_exporter.default; set +a
        [[ -n "${ATSIGN_EXPORTER_ARGS:-}" ]] || { echo "atsign_exporter.default does not set ATSIGN_EXPORTER_ARGS"; exit 1; }
        for arg in $ATSIGN_EXPORTER_ARGS; do
            case "${arg%%=*}" in
                --web.listen-address | --web.telemetry-path | --web.config.file | --web.max-connections | --config.file | \
                    --atsign | --atsigns.file | --root.address | --tls.ca-file | --probe.interval | --probe.timeout | \
                    --probe.concurrency | --probe.info | --shard | --total-shards | --log.level | --log.format | \
                    --web.systemd-socket | --web.route-prefix | --web.external-url) ;;
                *) echo "atsign_exporter.default: unknown flag $arg"; exit 1 ;;
            esac
        done)
}

docker_file() {
    local f=deploy/docker/Dockerfile
    grep -qE '^FROM swift:.*bookworm AS build' "$f" || { echo "no swift:*-bookworm build stage"; return 1; }
    grep -qE '^FROM debian:bookworm-slim' "$f" || { echo "runtime is not debian:bookworm-slim"; return 1; }
    grep -qE 'static-(swift-)?stdlib' "$f" || { echo "the Swift runtime is not linked statically"; return 1; }
    grep -qE '^USER [1-9][0-9]*' "$f" || { echo "no numeric non-root USER"; return 1; }
    grep -qE '^EXPOSE 9713$' "$f" || { echo "does not EXPOSE 9713"; return 1; }
    grep -qE '^HEALTHCHECK ' "$f" || { echo "no HEALTHCHECK"; return 1; }
    grep -qE 'libssl3.*ca-certificates|ca-certificates.*libssl3' "$f" || { echo "runtime lacks libssl3 or ca-certificates"; return 1; }
    for copied in $(awk '$1 == "COPY" && $2 !~ /^--from/ { for (i = 2; i < NF; i++) print $i }' "$f"); do
        [[ -e "$copied" ]] || { echo "COPY source $copied does not exist"; return 1; }
    done
}

docker_healthcheck() {
    # The healthcheck against a stand-in server: healthy on 200, unhealthy on 503 and when closed.
    python3 - "$TMP" <<'EOF' &
import http.server, sys, threading
class Handler(http.server.BaseHTTPRequestHandler):
    code = 200
    def do_GET(self):
        self.send_response(self.server.code if self.path == "/-/healthy" else 404)
        self.end_headers()
    def log_message(self, *args):
        pass
for code in (200, 503):
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.code = code
    open(f"{sys.argv[1]}/port{code}", "w").write(str(server.server_port))
    threading.Thread(target=server.serve_forever, daemon=True).start()
threading.Event().wait(60)
EOF
    local server=$! hc=deploy/docker/healthcheck.sh status=0
    for _ in $(seq 50); do [[ -s "$TMP/port503" ]] && break; sleep 0.1; done
    HEALTHCHECK_PORT="$(cat "$TMP/port200")" "$hc" || { echo "unhealthy on 200"; status=1; }
    HEALTHCHECK_PORT="$(cat "$TMP/port503")" "$hc" && { echo "healthy on 503"; status=1; }
    kill "$server"
    HEALTHCHECK_PORT=1 "$hc" 2>/dev/null && { echo "healthy with nothing listening"; status=1; }
    return $status
}

kubernetes_release() {
    # The image is the release in VERSION; every kustomization renders with replicas equal to
    # TOTAL_SHARDS and carries the dashboard ConfigMap.
    local version image dir
    version="$(tr -d '[:space:]' <VERSION)"
    image="$(python3 -c 'import yaml, sys
d = yaml.safe_load(open(sys.argv[1]))
print(d["spec"]["template"]["spec"]["containers"][0]["image"])' deploy/kubernetes/statefulset.yaml)"
    [[ "$image" == *":$version" ]] || { echo "statefulset image $image is not pinned to VERSION $version"; return 1; }
    command -v kubectl >/dev/null || { echo "kubectl not installed (kubectl kustomize renders the overlays)"; return 77; }
    for dir in deploy/kubernetes deploy/kustomize/*/; do
        kubectl kustomize "$dir" >"$TMP/rendered.yaml" || return 1
        python3 - "$TMP/rendered.yaml" "$dir" <<'EOF' || return 1
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
sts = next(d for d in docs if d["kind"] == "StatefulSet")
container = sts["spec"]["template"]["spec"]["containers"][0]
total = {e["name"]: e.get("value") for e in container["env"]}.get("TOTAL_SHARDS")
replicas = sts["spec"]["replicas"]
assert total == str(replicas), f"{sys.argv[2]}: TOTAL_SHARDS {total} != replicas {replicas}"
labels = [d["metadata"].get("labels", {}) for d in docs if d["kind"] == "ConfigMap"]
assert any(l.get("grafana_dashboard") == "1" for l in labels), f"{sys.argv[2]}: no grafana_dashboard ConfigMap"
print(f"{sys.argv[2]}: {replicas} shards, image {container['image']}, dashboard ConfigMap")
EOF
    done
}

dashboard_configmap() { python3 scripts/dashboard_configmap.py --check; }

dashboard() {
    [[ -f "$GRAFANA_SCHEMA" ]] || { echo "schema $GRAFANA_SCHEMA not found (set GRAFANA_SCHEMA)"; return 1; }
    python3 scripts/check_dashboard.py --schema "$GRAFANA_SCHEMA"
}

grafana_provisioning() {
    python3 - <<'EOF'
import yaml
ds = yaml.safe_load(open("grafana/provisioning/datasources/prometheus.yml"))
assert ds["apiVersion"] == 1, "datasources: apiVersion must be 1"
assert any(d["type"] == "prometheus" and d.get("url") for d in ds["datasources"]), "no prometheus datasource with a url"
dash = yaml.safe_load(open("grafana/provisioning/dashboards/atsign.yml"))
assert dash["apiVersion"] == 1, "dashboards: apiVersion must be 1"
assert all(p["type"] == "file" and p["options"]["path"] for p in dash["providers"]), "provider needs type file and options.path"
print("provisioning files have the expected keys")
EOF
}

shell_syntax() {
    local f
    for f in scripts/*.sh deploy/docker/healthcheck.sh; do
        bash -n "$f" || return 1
    done
    for f in deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm; do
        sh -n "$f" || return 1
    done
    if command -v shellcheck >/dev/null; then
        shellcheck -S warning scripts/*.sh deploy/docker/healthcheck.sh deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm
    fi
}

export -f tools prometheus_configs targets probe_relabeling sharded_partition rules_check rules_test \
    rules_mutations rules_metadata rules_variants prometheusrule_sync scenarios_sync alertmanager_inhibit web_config kubernetes_core kubernetes_crds \
    kubernetes_wiring kubernetes_release dashboard_configmap systemd_unit systemd_environment docker_file docker_healthcheck dashboard \
    grafana_provisioning shell_syntax

run "tools installed" tools
run "promtool check config (prometheus.yml, prometheus-sharded.yml)" prometheus_configs
run "/probe relabeling: atSign → ?target= and instance" probe_relabeling
run "hashmod shards partition the targets" sharded_partition
run "promtool check rules alerts.yml" rules_check
run "promtool test rules alerts_test.yml alerts_exporter_test.yml alerts_scenarios_test.yml" rules_test
run "alert tests fail when each rule is broken (mutation check)" rules_mutations
run "alert labels, annotations and runbook anchors" rules_metadata
run "alerts.yml and PrometheusRule match scripts/gen_alerts.py output" prometheusrule_sync
run "alerts_scenarios_test.yml matches scripts/gen_alert_scenarios.py output" scenarios_sync
run "gen_alerts.py config variants (/probe-only, lean) and bad values" rules_variants
run "amtool check-config alertmanager-inhibit.yml" alertmanager_inhibit
run "promtool check web-config web-config.example.yml" web_config
run "kubernetes-validate core manifests" kubernetes_core
run "ServiceMonitor, PrometheusRule, kustomization keys" kubernetes_crds
run "StatefulSet sharding, Service, probes, security" kubernetes_wiring
run "image pinned to VERSION, kustomizations render with replicas = TOTAL_SHARDS" kubernetes_release
run "Grafana dashboard ConfigMap matches the dashboard" dashboard_configmap
run "systemd-analyze verify (service, socket) and security" systemd_unit
run "systemd EnvironmentFile and reload" systemd_environment
run "Dockerfile essentials" docker_file
run "Docker healthcheck script" docker_healthcheck
run "Grafana dashboard (schema, ids, grid, scale, PromQL)" dashboard
run "Grafana provisioning" grafana_provisioning
run "shell scripts parse" shell_syntax

for name in "${skipped[@]}"; do echo "skipped: $name"; done
for name in "${failures[@]}"; do echo "failed: $name"; done
echo "ops checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
