#!/usr/bin/env python3
"""Runs every query of the Grafana dashboards against a live Prometheus and fails on no data.

Each panel target and each label_values() variable query (variables replaced by their All
value `.+`, $__rate_interval by --rate-interval) is sent to PROMETHEUS_URL/api/v1/query as
an instant query. A query that errors or returns an empty result is listed and the script
exits 1: on a Prometheus scraping a working exporter, every panel must show something.

Usage: check_dashboard_queries.py [--allow-empty REGEX] [--timeout S] URL [DASHBOARD.json ...]
"""

import argparse
import json
import pathlib
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_dashboard  # noqa: E402  (a sibling script, not a package)


def run_query(base_url, expr, timeout):
    """(number of series or samples, error or None) for one instant query."""
    url = f"{base_url.rstrip('/')}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        try:
            detail = json.loads(detail).get("error", detail)
        except ValueError:
            pass
        return 0, f"HTTP {error.code}: {detail}"
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return 0, f"request failed: {error}"
    if body.get("status") != "success":
        return 0, f"{body.get('errorType', 'error')}: {body.get('error', body)}"
    data = body.get("data", {})
    result = data.get("result")
    if data.get("resultType") in ("scalar", "string"):
        return 1, None
    return len(result or []), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="Prometheus base URL, e.g. http://127.0.0.1:9090")
    parser.add_argument("dashboards", nargs="*", help="default: grafana/dashboards/*.json")
    parser.add_argument("--rate-interval", default="2m", help="value of $__rate_interval (default %(default)s)")
    parser.add_argument("--allow-empty", default=None, metavar="REGEX",
                        help="queries whose location (panel title, ref, variable) matches may return no data")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per query (default %(default)s)")
    args = parser.parse_args()
    check_dashboard.GLOBALS["__rate_interval"] = args.rate_interval
    allow_empty = re.compile(args.allow_empty) if args.allow_empty else None
    paths = args.dashboards or sorted(str(p) for p in (check_dashboard.ROOT / "grafana/dashboards").glob("*.json"))
    failures, total = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            dashboard = json.load(f)
        problems = []
        for where, expr in check_dashboard.concrete_queries(dashboard, problems):
            total += 1
            count, error = run_query(args.url, expr, args.timeout)
            if error:
                failures.append(f"{path}: {where}: {error}\n    {expr}")
            elif count == 0 and not (allow_empty and allow_empty.search(where)):
                failures.append(f"{path}: {where}: no data\n    {expr}")
            else:
                print(f"ok   {where}: {count} series")
        failures.extend(f"{path}: {problem}" for problem in problems)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"dashboard queries: {total - len(failures)} with data, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
