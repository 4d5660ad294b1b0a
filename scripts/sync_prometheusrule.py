#!/usr/bin/env python3
"""Keeps deploy/kubernetes/prometheusrule.yaml the same as deploy/prometheus/alerts.yml.

alerts.yml is the source of truth (promtool checks and unit-tests it); the PrometheusRule
for the prometheus-operator wraps the same groups. Without arguments this rewrites the
PrometheusRule; with --check it only compares and exits 1 naming the first difference.
"""

import argparse
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALERTS = ROOT / "deploy/prometheus/alerts.yml"
RULE = ROOT / "deploy/kubernetes/prometheusrule.yaml"

HEADER = """\
# GENERATED from deploy/prometheus/alerts.yml by scripts/sync_prometheusrule.py: do not edit.
# Change alerts.yml, run the script, commit both (scripts/check-ops.sh fails when they differ).
"""


def load_groups(path):
    """The rule groups of a Prometheus rule file."""
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)["groups"]


def render(groups):
    """The PrometheusRule manifest holding `groups`, as text."""
    manifest = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "atsign-exporter",
            "labels": {"app.kubernetes.io/name": "atsign-exporter"},
        },
        "spec": {"groups": groups},
    }
    body = yaml.safe_dump(manifest, sort_keys=False, width=100, allow_unicode=True)
    return HEADER + body


def first_difference(expected, actual, where="spec.groups"):
    """A path to the first place where two parsed YAML trees differ, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                return f"{where}.{key} is missing"
            if key not in expected:
                return f"{where}.{key} is not in alerts.yml"
            found = first_difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{where} has {len(actual)} entries, alerts.yml has {len(expected)}"
        for index, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{where}[{index}]")
            if found:
                return found
        return None
    if expected != actual:
        return f"{where} is {actual!r}, alerts.yml has {expected!r}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args()
    groups = load_groups(ALERTS)
    if not args.check:
        RULE.write_text(render(groups), encoding="utf-8")
        print(f"wrote {RULE.relative_to(ROOT)}")
        return 0
    if not RULE.exists():
        print(f"{RULE.relative_to(ROOT)} is missing: run scripts/sync_prometheusrule.py", file=sys.stderr)
        return 1
    with open(RULE, encoding="utf-8") as f:
        manifest = yaml.safe_load(f)
    problems = []
    if manifest.get("kind") != "PrometheusRule":
        problems.append(f"kind is {manifest.get('kind')!r}, not PrometheusRule")
    if manifest.get("apiVersion") != "monitoring.coreos.com/v1":
        problems.append(f"apiVersion is {manifest.get('apiVersion')!r}, not monitoring.coreos.com/v1")
    difference = first_difference(groups, (manifest.get("spec") or {}).get("groups"))
    if difference:
        problems.append(difference)
    for problem in problems:
        print(f"{RULE.relative_to(ROOT)}: {problem}; run scripts/sync_prometheusrule.py", file=sys.stderr)
    if problems:
        return 1
    print(f"{RULE.relative_to(ROOT)} matches {ALERTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
