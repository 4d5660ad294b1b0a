#!/usr/bin/env python3
"""Checks deploy/prometheus/alerts.yml beyond what promtool checks.

--metadata   every alert has a severity, a summary, a description and a runbook_url whose
             anchor is a section of runbooks.md (and every section belongs to an alert).
--variants   scripts/gen_alerts.py handles other configs: a /probe-only one (jobs.exporter
             null) gives rules promtool accepts with no alert on the exporter's own job (no
             absent-exporter page), and a bad value is refused naming its key.
--mutations  the unit tests (alerts_test.yml, alerts_exporter_test.yml) are meaningful: for each rule in turn, a copy
             whose expr never fires (`vector(0) > 1`) must make `promtool test rules` fail,
             and a copy whose expr always fires (`vector(1)`) must fail the tests that
             expect that alert to stay silent.
"""

import argparse
import copy
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROM = ROOT / "deploy/prometheus"
RUNBOOK_BASE = "https://github.com/atsign-exporter/atsign_exporter/blob/main/deploy/prometheus/runbooks.md"
# The unit tests the mutation check runs (the scenarios are too large to rerun per mutation).
TEST_FILES = ("alerts_test.yml", "alerts_exporter_test.yml")
SEVERITIES = {"info", "warning", "critical"}
REQUIRED_ALERTS = {
    "AtsignDown", "AtsignNotFound", "AtsignNotActivated", "AtsignProbeSlow",
    "AtsignCertificateExpiringSoon", "AtsignFlapping", "AtsignRootUnreachable", "AtsignFleetFailing",
    "AtsignErrorBudgetBurn", "AtsignExporterDown", "AtsignExporterAbsent", "AtsignExporterShardsMissing",
    "AtsignExporterConfigReloadFailed", "AtsignExporterProberStalled", "AtsignExporterRoundsOverrun",
    "AtsignExporterFreshProbesRefused", "AtsignProbeScrapesFailing", "AtsignProbeTargetDown",
}
# runbooks.md sections that explain rather than answer an alert.
GENERAL_SECTIONS = {"Severities and routing", "Availability SLO", "Recommended Alertmanager inhibition"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def rules(alerts):
    """(group index, rule index, rule) for every alerting rule."""
    for g, group in enumerate(alerts["groups"]):
        for r, rule in enumerate(group["rules"]):
            if "alert" in rule:
                yield g, r, rule


def github_anchor(heading):
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def check_metadata(alerts, runbooks_text):
    problems = []
    anchors = {github_anchor(h): h for h in re.findall(r"^## (.+)$", runbooks_text, re.M)}
    names = set()
    for _, _, rule in rules(alerts):
        name = rule["alert"]
        names.add(name)
        severity = (rule.get("labels") or {}).get("severity")
        if severity not in SEVERITIES:
            problems.append(f"{name}: severity label is {severity!r}, not one of {sorted(SEVERITIES)}")
        annotations = rule.get("annotations") or {}
        for key in ("summary", "description", "runbook_url"):
            if not str(annotations.get(key, "")).strip():
                problems.append(f"{name}: annotation {key} is missing or empty")
        url = annotations.get("runbook_url", "")
        base, _, anchor = url.partition("#")
        if base != RUNBOOK_BASE:
            problems.append(f"{name}: runbook_url {url!r} does not start with {RUNBOOK_BASE}#")
        elif anchor not in anchors:
            problems.append(f"{name}: runbook_url anchor #{anchor} is not a section of runbooks.md")
        elif anchor != github_anchor(name):
            problems.append(f"{name}: runbook_url anchor #{anchor} should be #{github_anchor(name)}")
    for anchor, heading in anchors.items():
        if heading not in names and heading not in GENERAL_SECTIONS:
            problems.append(f"runbooks.md section {heading!r} matches no alert")
    for missing in sorted(REQUIRED_ALERTS - names):
        problems.append(f"alert {missing} is missing")
    return problems


def promtool_test(alerts, tests, workdir):
    """True when `promtool test rules` passes for these rules and tests."""
    (workdir / "rules.yml").write_text(yaml.safe_dump(alerts, sort_keys=False), encoding="utf-8")
    tests = dict(tests, rule_files=["rules.yml"])
    (workdir / "tests.yml").write_text(yaml.safe_dump(tests, sort_keys=False), encoding="utf-8")
    result = subprocess.run(["promtool", "test", "rules", "tests.yml"], cwd=workdir,
                            capture_output=True, text=True, timeout=60)
    return result.returncode == 0, result.stdout + result.stderr


def reduced_tests(tests, alertname, firing):
    """The tests reduced to the evaluations of `alertname` expecting it to fire (firing=True)
    or to stay silent; None when there is none. Running only these keeps each mutation fast."""
    groups = []
    for group in tests["tests"]:
        evals = [e for e in group.get("alert_rule_test", [])
                 if e["alertname"] == alertname and bool(e.get("exp_alerts")) == firing]
        if evals:
            reduced = {k: v for k, v in group.items() if k not in ("alert_rule_test", "promql_expr_test")}
            groups.append(dict(reduced, alert_rule_test=evals))
    return dict(tests, tests=groups) if groups else None


def check_mutations(alerts, tests):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        ok, output = promtool_test(alerts, tests, workdir)
        if not ok:
            return [f"the unmutated tests fail:\n{output}"]
        for g, r, rule in rules(alerts):
            label = f'{rule["alert"]} (group {alerts["groups"][g]["name"]}, rule {r + 1}, ' \
                    f'severity {(rule.get("labels") or {}).get("severity")})'
            firing = reduced_tests(tests, rule["alert"], firing=True)
            never = copy.deepcopy(alerts)
            never["groups"][g]["rules"][r]["expr"] = "vector(0) > 1"
            if firing is None or promtool_test(never, firing, workdir)[0]:
                problems.append(f"{label}: the tests still pass when it never fires: add a test where it fires")
            silent = reduced_tests(tests, rule["alert"], firing=False)
            if silent is None:
                problems.append(f"{label}: no test expects it to stay silent (exp_alerts: [])")
                continue
            always = copy.deepcopy(alerts)
            always["groups"][g]["rules"][r]["expr"] = "vector(1)"
            if promtool_test(always, silent, workdir)[0]:
                problems.append(f"{label}: the silent-case tests still pass when it always fires")
            else:
                print(f"ok   {label}: tests fail when it never fires and when it always fires")
    return problems


def generate(config, workdir):
    """(exit code, stderr, alerts) of scripts/gen_alerts.py run on `config` into `workdir`."""
    path = workdir / "config.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts/gen_alerts.py"), "--config", str(path),
                             "--out-dir", str(workdir)], capture_output=True, text=True, timeout=60)
    alerts = load(workdir / "alerts.yml") if result.returncode == 0 else None
    return result.returncode, result.stderr, alerts


def variant(config, change):
    """A deep copy of `config` with change(copy) applied."""
    copied = copy.deepcopy(config)
    change(copied)
    return copied


def check_probe_only(config, workdir):
    """jobs.exporter null: promtool accepts the rules, none waits for the exporter's job."""
    code, stderr, alerts = generate(variant(config, lambda c: c["jobs"].update(exporter=None)), workdir)
    if code != 0:
        return [f"the /probe-only config is refused: {stderr.strip()}"]
    problems = []
    names = {rule["alert"] for _, _, rule in rules(alerts)}
    exporter_only = {"AtsignExporterAbsent", "AtsignExporterDown", "AtsignRootUnreachable", "AtsignErrorBudgetBurn"}
    for name in sorted(names & exporter_only):
        problems.append(f"/probe-only config: {name} is generated, but there is no exporter job to alert on")
    for name in ("AtsignProbeScrapesFailing", "AtsignProbeTargetDown", "AtsignDown", "AtsignFleetFailing"):
        if name not in names:
            problems.append(f"/probe-only config: {name} is missing")
    result = subprocess.run(["promtool", "check", "rules", str(workdir / "alerts.yml")],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        problems.append(f"/probe-only config: promtool check rules fails:\n{result.stdout}{result.stderr}")
    return problems


def check_lean(config, workdir):
    """jobs.probe null and slo.per_atsign false: no /probe-job rule, no per-atSign availability."""
    lean = variant(config, lambda c: (c["jobs"].update(probe=None), c["slo"].update(per_atsign=False)))
    code, stderr, alerts = generate(lean, workdir)
    alerts = alerts or {"groups": []}
    records = {rule.get("record") for group in alerts["groups"] for rule in group["rules"]}
    leaked = sorted(r for r in records if r and (r.startswith("atsign:availability") or "probe_failing" in r))
    leaked += sorted({rule["alert"] for _, _, rule in rules(alerts)} & {"AtsignProbeScrapesFailing", "AtsignProbeTargetDown"})
    if code != 0 or leaked:
        return [f"no /probe job, no per-atSign SLO: still generated {leaked} (exit {code}: {stderr.strip()})"]
    return []


def check_bad_values(config, workdir):
    """Bad values are refused with exit 2, naming their key."""
    problems = []
    for key, change in (("slo.objective", lambda c: c["slo"].update(objective=1.5)),
                        ("slo.per_atsign", lambda c: c["slo"].update(per_atsign="yes")),
                        ("thresholds.down_for", lambda c: c["thresholds"].update(down_for="5 minutes"))):
        code, stderr, _ = generate(variant(config, change), workdir)
        if code != 2 or key not in stderr:
            problems.append(f"{key}: a bad value was not refused naming the key (exit {code}: {stderr.strip()})")
    return problems


def check_variants(config):
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        problems = check_probe_only(config, workdir) + check_lean(config, workdir) + check_bad_values(config, workdir)
    if not problems:
        print("config variants: /probe-only has no alert on the exporter's job; jobs.probe and slo.per_atsign "
              "turn their rules off; bad values are refused by key")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metadata", action="store_true")
    parser.add_argument("--mutations", action="store_true")
    parser.add_argument("--variants", action="store_true")
    args = parser.parse_args()
    alerts = load(PROM / "alerts.yml")
    problems = []
    if args.variants:
        problems += check_variants(load(PROM / "alerts-config.yml"))
    if args.metadata or not (args.mutations or args.variants):
        problems += check_metadata(alerts, (PROM / "runbooks.md").read_text(encoding="utf-8"))
    if args.mutations or not (args.metadata or args.variants):
        tests = [load(PROM / name) for name in TEST_FILES]
        problems += check_mutations(alerts, dict(tests[0], tests=[t for f in tests for t in f["tests"]]))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if not problems:
        print(f"alerts: {sum(1 for _ in rules(alerts))} rules checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
