#!/usr/bin/env python3
"""Writes deploy/kubernetes/grafana-dashboard.yaml from grafana/dashboards/atsign.json.

The ConfigMap carries the label grafana_dashboard: "1", which the Grafana Helm chart's sidecar
(k8s-sidecar) watches: it copies the JSON into Grafana's dashboard folder. The JSON file is
the source of truth; without arguments this rewrites the ConfigMap, with --check it only
compares and exits 1 when they differ (scripts/check-ops.sh runs that).
"""

import argparse
import json
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "grafana/dashboards/atsign.json"
CONFIGMAP = ROOT / "deploy/kubernetes/grafana-dashboard.yaml"

HEADER = """\
# GENERATED from grafana/dashboards/atsign.json by scripts/dashboard_configmap.py: do not edit.
# Grafana's dashboard sidecar loads ConfigMaps labelled grafana_dashboard: "1" (in the
# namespaces it watches). Change the JSON, run the script, commit both.
"""


class Literal(str):
    """A string dumped as a YAML literal block, so the JSON stays readable in the manifest."""


yaml.SafeDumper.add_representer(
    Literal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|"))


def render():
    text = DASHBOARD.read_text(encoding="utf-8")
    json.loads(text)  # refuse to wrap a broken dashboard
    manifest = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "atsign-exporter-dashboard",
            "labels": {"app.kubernetes.io/name": "atsign-exporter", "grafana_dashboard": "1"},
        },
        "data": {"atsign.json": Literal(text if text.endswith("\n") else text + "\n")},
    }
    return HEADER + yaml.safe_dump(manifest, sort_keys=False, width=1000, allow_unicode=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when stale")
    args = parser.parse_args()
    expected = render()
    if args.check:
        actual = CONFIGMAP.read_text(encoding="utf-8") if CONFIGMAP.exists() else ""
        if actual != expected:
            print(f"{CONFIGMAP.relative_to(ROOT)} is stale: run scripts/dashboard_configmap.py")
            return 1
        wrapped = yaml.safe_load(actual)["data"]["atsign.json"]
        if json.loads(wrapped) != json.loads(DASHBOARD.read_text(encoding="utf-8")):
            print("the ConfigMap's atsign.json differs from the dashboard")
            return 1
        print(f"{CONFIGMAP.relative_to(ROOT)} matches {DASHBOARD.relative_to(ROOT)}")
        return 0
    CONFIGMAP.write_text(expected, encoding="utf-8")
    print(f"wrote {CONFIGMAP.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
