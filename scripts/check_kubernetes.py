#!/usr/bin/env python3
"""Checks deploy/kubernetes beyond schema validation.

--core   validates the core manifests (everything but the prometheus-operator CRDs and the
         kustomization) with kubernetes-validate --strict, using the schemas it ships.
--crds   parses ServiceMonitor, PrometheusRule and kustomization.yaml and checks their keys.
--wiring checks that the pieces fit: TOTAL_SHARDS equals replicas, the headless Service and
         the ServiceMonitor select the pods and name the `metrics` port 9713, the probes use
         /-/healthy and /-/ready, the pod is non-root with a read-only root filesystem and
         resource requests and limits; and runs the container's shell entrypoint to see that
         it derives --shard from the pod name (and refuses a name without an ordinal).
"""

import argparse
import pathlib
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy/kubernetes"
CRD_KINDS = {"ServiceMonitor", "PrometheusRule"}


def documents():
    """(file, manifest) for every YAML document under deploy/kubernetes."""
    for path in sorted(K8S.glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if doc:
                    yield path, doc


def by_kind(kind):
    return [doc for _, doc in documents() if doc.get("kind") == kind]


def check_core():
    core = sorted({str(path) for path, doc in documents()
                   if doc.get("kind") not in CRD_KINDS and doc.get("kind") != "Kustomization"})
    if not core:
        return ["no core manifest found"]
    result = subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", *core],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return [f"kubernetes-validate:\n{(result.stdout + result.stderr).strip()}"]
    print(f"kubernetes-validate --strict: {len(core)} manifests valid")
    return []


def need(problems, condition, message):
    if not condition:
        problems.append(message)


def check_crds():
    problems = []
    for path, doc in documents():
        kind = doc.get("kind")
        where = f"{path.name} ({kind})"
        if kind in CRD_KINDS:
            need(problems, doc.get("apiVersion") == "monitoring.coreos.com/v1", f"{where}: apiVersion is not monitoring.coreos.com/v1")
            need(problems, (doc.get("metadata") or {}).get("name"), f"{where}: metadata.name is missing")
        if kind == "ServiceMonitor":
            spec = doc.get("spec") or {}
            need(problems, (spec.get("selector") or {}).get("matchLabels"), f"{where}: spec.selector.matchLabels is missing")
            endpoints = spec.get("endpoints") or []
            need(problems, endpoints, f"{where}: spec.endpoints is empty")
            for endpoint in endpoints:
                need(problems, endpoint.get("port") == "metrics", f"{where}: endpoint port is not 'metrics'")
                need(problems, endpoint.get("path", "/metrics") == "/metrics", f"{where}: endpoint path is not /metrics")
        if kind == "PrometheusRule":
            groups = (doc.get("spec") or {}).get("groups") or []
            need(problems, groups and all(g.get("name") and g.get("rules") for g in groups),
                 f"{where}: spec.groups must list named groups with rules")
        if kind == "Kustomization":
            listed = doc.get("resources") or []
            for name in listed:
                need(problems, (K8S / name).is_file(), f"{where}: resource {name} does not exist")
            for other in sorted(p.name for p in K8S.glob("*.yaml")):
                need(problems, other in listed or other == path.name, f"{where}: {other} is not listed in resources")
    need(problems, by_kind("ServiceMonitor"), "no ServiceMonitor")
    need(problems, by_kind("PrometheusRule"), "no PrometheusRule")
    if not problems:
        print("ServiceMonitor, PrometheusRule and kustomization: keys present")
    return problems


def entrypoint_runs(script, hostname, total):
    """Runs the container's `sh -c` script with the exporter replaced by `echo`."""
    script = script.replace("exec /usr/local/bin/atsign_exporter", "exec echo")
    env = {"HOSTNAME": hostname, "TOTAL_SHARDS": total, "PATH": "/usr/bin:/bin"}
    return subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, timeout=10)


def check_workload(problems, sts, container):
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    need(problems, env.get("TOTAL_SHARDS") == str(sts["spec"]["replicas"]),
         f"StatefulSet: TOTAL_SHARDS={env.get('TOTAL_SHARDS')} but replicas={sts['spec']['replicas']}")
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    need(problems, ports.get("metrics") == 9713, "StatefulSet: no container port 9713 named metrics")
    for probe, path in (("livenessProbe", "/-/healthy"), ("readinessProbe", "/-/ready")):
        got = ((container.get(probe) or {}).get("httpGet") or {}).get("path")
        need(problems, got == path, f"StatefulSet: {probe} path is {got!r}, not {path}")
    security = container.get("securityContext") or {}
    pod_security = sts["spec"]["template"]["spec"].get("securityContext") or {}
    need(problems, security.get("readOnlyRootFilesystem") is True, "StatefulSet: root filesystem is not read-only")
    need(problems, security.get("allowPrivilegeEscalation") is False, "StatefulSet: privilege escalation is allowed")
    need(problems, pod_security.get("runAsNonRoot") is True or security.get("runAsNonRoot") is True,
         "StatefulSet: runAsNonRoot is not set")
    resources = container.get("resources") or {}
    for kind in ("requests", "limits"):
        need(problems, {"cpu", "memory"} <= set(resources.get(kind) or {}), f"StatefulSet: resources.{kind} lack cpu or memory")


def check_entrypoint(problems, container):
    script = " ".join(container.get("command", [])[2:] + container.get("args", []))
    total = next(e["value"] for e in container.get("env", []) if e["name"] == "TOTAL_SHARDS")
    run = entrypoint_runs(script, "atsign-exporter-2", total)
    need(problems, run.returncode == 0 and f"--shard=2 --total-shards={total}" in run.stdout,
         f"entrypoint: pod atsign-exporter-2 gave exit {run.returncode}, {run.stdout.strip()!r} {run.stderr.strip()!r}")
    bad = entrypoint_runs(script, "atsign-exporter", total)
    need(problems, bad.returncode != 0 and "shard" in bad.stderr,
         f"entrypoint: a pod name without an ordinal was accepted ({bad.stdout.strip()!r})")


def check_wiring():
    problems = []
    (sts,), services, monitors = by_kind("StatefulSet"), by_kind("Service"), by_kind("ServiceMonitor")
    pod_labels = sts["spec"]["template"]["metadata"]["labels"]
    selects = lambda selector: all(pod_labels.get(k) == v for k, v in (selector or {}).items())  # noqa: E731
    need(problems, selects(sts["spec"]["selector"]["matchLabels"]), "StatefulSet: selector does not match its pod labels")
    headless = [s for s in services if s["metadata"]["name"] == sts["spec"].get("serviceName")]
    need(problems, headless, f"no Service named {sts['spec'].get('serviceName')!r} (the StatefulSet's serviceName)")
    for service in headless:
        need(problems, service["spec"].get("clusterIP") == "None", "Service: not headless (clusterIP: None)")
        need(problems, selects(service["spec"].get("selector")), "Service: selector does not match the pods")
        need(problems, any(p.get("name") == "metrics" and p.get("port") == 9713 for p in service["spec"]["ports"]),
             "Service: no port 9713 named metrics")
        for monitor in monitors:
            labels = service["metadata"].get("labels") or {}
            wanted = monitor["spec"]["selector"].get("matchLabels") or {}
            need(problems, all(labels.get(k) == v for k, v in wanted.items()), "ServiceMonitor: selector does not match the Service")
    container = sts["spec"]["template"]["spec"]["containers"][0]
    check_workload(problems, sts, container)
    check_entrypoint(problems, container)
    if not problems:
        print("StatefulSet, Service, ServiceMonitor and entrypoint fit together")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--core", "--crds", "--wiring"):
        parser.add_argument(flag, action="store_true")
    args = parser.parse_args()
    every = not (args.core or args.crds or args.wiring)
    problems = []
    if args.core or every:
        problems += check_core()
    if args.crds or every:
        problems += check_crds()
    if args.wiring or every:
        problems += check_wiring()
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
