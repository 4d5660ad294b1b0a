#!/usr/bin/env python3
"""Checks Grafana dashboards offline.

For each dashboard: it validates against the vendored JSON Schema (draft-07), checks that
panel ids are unique and that no two panels overlap on the grid, that every query uses the
$datasource variable, that it scales to 10,000 atSigns (a query reading per-atSign series
outside the $atsign drill-down must aggregate them away or be bounded by topk/bottomk), and
that every PromQL expression (panel targets and label_values()
variable queries, with the dashboard variables replaced by concrete values) parses, using
`promtool check rules` on a generated file with one recording rule per expression
(promtool 2.42 has no `promql` subcommand).

Usage: check_dashboard.py [--schema PATH] [DASHBOARD.json ...]
Defaults: the schema at ../shared/schemas/grafana-dashboard.schema.json relative to the
repository root, and every grafana/dashboards/*.json. Exits 1 listing every problem.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT.parent / "shared/schemas/grafana-dashboard.schema.json"
GRID_WIDTH = 24

# Grafana's global variables, replaced by values a real query could carry.
GLOBALS = {
    "__rate_interval": "1m",
    "__interval": "1m",
    "__interval_ms": "60000",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
}
VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)")
# Per-atSign families (one series per atSign or more) and per-atSign recording rules.
PER_ATSIGN = re.compile(r"\b(atsign_(?!exporter_|root_)[a-z_]+|atsign:(?!slo_)[a-z_:0-9]+)")
AGGREGATION = re.compile(r"\b(sum|count|min|max|avg|group|count_values|quantile|stddev|stdvar)\s*(by\s*\(([^)]*)\))?\s*\(")
BY_CLAUSE = re.compile(r"\bby\s*\(([^)]*)\)")
LABEL_VALUES = re.compile(r"^\s*label_values\((.*),\s*(\w+)\s*\)\s*$", re.S)


def all_panels(dashboard):
    """Every panel, rows and the panels nested in collapsed rows included."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def substitute(expr, values):
    """`expr` with every dashboard or global variable replaced; unknown names are an error."""
    unknown = []

    def replace(match):
        name = match.group(1) or match.group(2) or match.group(3)
        if name in values:
            return values[name]
        unknown.append(name)
        return match.group(0)

    result = VARIABLE.sub(replace, expr)
    if unknown:
        raise ValueError(f"unknown variable(s) {', '.join('$' + n for n in unknown)}")
    return result


def variable_values(dashboard):
    """A concrete value for each variable: `.+` (the All value, used in =~ matchers)."""
    values = dict(GLOBALS)
    for variable in dashboard.get("templating", {}).get("list", []):
        values[variable["name"]] = variable.get("allValue") or ".+"
    return values


def queries(dashboard):
    """(where, PromQL) for every panel target and every label_values() variable query,
    variables still in place. label_values(metric, label) yields its selector."""
    for panel in all_panels(dashboard):
        for target in panel.get("targets", []):
            if "expr" in target:
                yield f'panel {panel.get("id")} "{panel.get("title", "")}" ref {target.get("refId", "?")}', target["expr"]
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        query = variable.get("query")
        query = query.get("query", "") if isinstance(query, dict) else query or ""
        match = LABEL_VALUES.match(query)
        if match:
            yield f'variable ${variable["name"]}', match.group(1)
        elif query.strip().startswith(("query_result(", "metrics(", "label_names(")):
            continue
        elif query.strip():
            yield f'variable ${variable["name"]}', query


def concrete_queries(dashboard, problems):
    """(where, PromQL) with the variables replaced; unknown variables become problems."""
    values = variable_values(dashboard)
    for where, expr in queries(dashboard):
        try:
            yield where, substitute(expr, values)
        except ValueError as error:
            problems.append(f"{where}: {error} in {expr!r}")


def check_schema(dashboard, schema_path, problems):
    import jsonschema

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    for error in sorted(validator.iter_errors(dashboard), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in error.absolute_path) or "(top)"
        problems.append(f"schema: {path}: {error.message[:300]}")
        for sub in error.context or []:
            sub_path = "/".join(str(p) for p in sub.absolute_path)
            problems.append(f"schema:   {sub_path}: {sub.message[:300]}")


def check_ids(dashboard, problems):
    seen = {}
    for panel in all_panels(dashboard):
        panel_id = panel.get("id")
        if panel_id is None:
            problems.append(f'panel "{panel.get("title", "")}" has no id')
        elif panel_id in seen:
            problems.append(f'panel id {panel_id} is used by "{seen[panel_id]}" and "{panel.get("title", "")}"')
        else:
            seen[panel_id] = panel.get("title", "")


def overlap(a, b):
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def check_grid(dashboard, problems):
    """Top-level panels share one grid; each collapsed row's panels share another."""
    layers = [dashboard.get("panels", [])] + [p.get("panels", []) for p in dashboard.get("panels", [])]
    for layer in layers:
        placed = []
        for panel in layer:
            name = f'panel {panel.get("id")} "{panel.get("title", "")}"'
            pos = panel.get("gridPos")
            if not pos:
                problems.append(f"{name} has no gridPos")
                continue
            if pos["x"] + pos["w"] > GRID_WIDTH:
                problems.append(f"{name} ends at column {pos['x'] + pos['w']}, past the grid width {GRID_WIDTH}")
            for other_name, other in placed:
                if overlap(pos, other):
                    problems.append(f"{name} overlaps {other_name}")
            placed.append((name, pos))


def check_datasources(dashboard, problems):
    """Queries must follow the $datasource variable, so the dashboard works on any Grafana."""
    for panel in all_panels(dashboard):
        refs = [panel.get("datasource")] + [t.get("datasource") for t in panel.get("targets", [])]
        for ref in refs:
            if ref is not None and ref.get("uid") not in ("${datasource}", "$datasource", "-- Grafana --", "grafana"):
                problems.append(f'panel {panel.get("id")} "{panel.get("title", "")}" uses datasource {ref}, not $datasource')


def check_scale(dashboard, problems):
    """A panel outside the drill-down must not draw one series (or row) per atSign. The
    drill-down filters by a single-valued $atsign (a multi-value or All one selects every atSign)."""
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    single = "atsign" in variables and not variables["atsign"].get("multi") and not variables["atsign"].get("includeAll")
    for panel in all_panels(dashboard):
        for target in panel.get("targets", []):
            expr = target.get("expr", "")
            if not PER_ATSIGN.search(expr) or (single and ("$atsign" in expr or "${atsign" in expr)):
                continue
            if re.search(r"\b(topk|bottomk)\s*\(", expr):
                continue
            grouped = [g for g in BY_CLAUSE.findall(expr) if "atsign" in re.split(r"[\s,]+", g)]
            if AGGREGATION.search(expr) and not grouped:
                continue
            problems.append(f'panel {panel.get("id")} "{panel.get("title", "")}" ref {target.get("refId", "?")} '
                            f"draws one series per atSign: aggregate, bound it with topk/bottomk or filter by $atsign")


def check_promql(exprs, problems, timeout=60):
    """Each expression must parse: promtool reports the group (the panel) of a bad one."""
    if not exprs:
        return
    lines = ["groups:"]
    for index, (where, expr) in enumerate(exprs):
        lines.append(f"  - name: {json.dumps(where)}")
        lines.append("    rules:")
        lines.append(f"      - record: dashboard:expr_{index}")
        lines.append(f"        expr: {json.dumps(expr)}")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        result = subprocess.run(["promtool", "check", "rules", path], capture_output=True, text=True, timeout=timeout)
    finally:
        pathlib.Path(path).unlink()
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().replace(path, "<dashboard queries>")
        problems.append(f"promtool rejects a query:\n{output}")


def check_dashboard(path, schema_path):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            dashboard = json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        return [f"cannot be read as JSON: {error}"], 0
    check_schema(dashboard, schema_path, problems)
    check_ids(dashboard, problems)
    check_grid(dashboard, problems)
    check_datasources(dashboard, problems)
    check_scale(dashboard, problems)
    exprs = list(concrete_queries(dashboard, problems))
    check_promql(exprs, problems)
    return problems, len(exprs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA), help="the dashboard JSON Schema (default: %(default)s)")
    parser.add_argument("dashboards", nargs="*", help="default: grafana/dashboards/*.json")
    args = parser.parse_args()
    if not pathlib.Path(args.schema).is_file():
        print(f"check_dashboard: schema {args.schema} not found (pass --schema PATH)", file=sys.stderr)
        return 2
    paths = args.dashboards or sorted(str(p) for p in (ROOT / "grafana/dashboards").glob("*.json"))
    if not paths:
        print("check_dashboard: no dashboard to check", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        problems, count = check_dashboard(path, args.schema)
        if problems:
            failed += 1
            print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        else:
            print(f"{path}: OK (schema, ids, grid, datasources, scale, {count} PromQL queries parse)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
