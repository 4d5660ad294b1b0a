#!/usr/bin/env python3
"""Turns the key=value figures of scripts/bench.sh into tables (value, reference, ratio, target,
met?, command), prints them, and replaces the generated part of BENCHMARKS.md (between the
`figures:begin` and `figures:end` markers; the notes around it are written by hand)."""
import statistics
import sys

BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def load(path):
    figures = {}
    for line in open(path):
        key, _, value = line.rstrip("\n").partition("=")
        figures[key] = value
    return figures


def num(figures, key):
    try:
        return float(figures[key])
    except (KeyError, ValueError):
        return float("nan")


def whole(figures, key):
    value = num(figures, key)
    return int(value) if value == value else 0


def median(figures, keys):
    values = [num(figures, k) for k in keys if k in figures]
    return statistics.median(values) if values else float("nan")


def fmt(value, unit=""):
    if value != value:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.3g}{unit}"


def row(name, value, reference, target, met, unit="", ref_unit=None, ratio=None):
    if ratio is None:
        ratio = value / reference if reference and reference == reference else float("nan")
    ref_text = fmt(reference, ref_unit if ref_unit is not None else unit) if reference is not None else "-"
    met_text = "n/a" if met is None else ("yes" if met else "**no**")
    return f"| {name} | {fmt(value, unit)} | {ref_text} | {fmt(ratio, '×') if ratio == ratio else '-'} | {target} | {met_text} |"


HEADER = "| figure | value | reference | ratio | target | met? |\n|---|---|---|---|---|---|"


def paired_rows(name, values, references, limit, unit):
    """A target measured in pairs taken in the same minute (the machine's speed drifts between
    minutes): value and reference are medians, the ratio and the verdict are the pairs' median
    ratio; a second row lists every pair's ratio."""
    ratios = [v / r for v, r in zip(values, references)]
    ratio = statistics.median(ratios)
    return [row(f"{name} (median of {len(ratios)} pairs; the ratio is the pairs' median)",
                statistics.median(values), statistics.median(references), f"≤ {limit:g}×", ratio <= limit, unit,
                ratio=ratio),
            row("the pairs' ratios: " + ", ".join(f"{r:.2f}×" for r in ratios), ratio, None, "-", None, "×")]


def probe_table(f):
    rounds = [f"round{i}" for i in (1, 2, 3) if f"round{i}_round_seconds" in f]
    rate = median(f, [r + "_probes_per_second" for r in rounds])
    seconds = median(f, [r + "_round_seconds" for r in rounds])
    cpu = median(f, [r + "_cpu_ms_per_probe" for r in rounds])
    # Pairs of a round and s_time in the same minute: the last round with figure_handshake's
    # s_time, then pair2 and pair3.
    pairs = [(rounds[-1] if rounds else "round1", "s_time")] + [
        (p, p + "_s_time") for p in ("pair2", "pair3") if p + "_cpu_ms_per_probe" in f]
    netio = 1000 * num(f, "handshake_cpu_seconds_each")
    n = whole(f, "atsigns")
    lines = [HEADER,
             row(f"round of {n:,} atSigns, seconds (median of {len(rounds)})", seconds, None, "≤ 60 s", seconds <= 60, " s"),
             row("probes per second (atSigns / round seconds)", rate, None, "-", None),
             *paired_rows("exporter CPU per probe vs `openssl s_time -new` handshake (a pair: a round and s_time "
                          "in the same minute)", [num(f, r + "_cpu_ms_per_probe") for r, _ in pairs],
                          [num(f, s + "_cpu_ms_per_handshake") for _, s in pairs], 1.5, " ms"),
             row("exporter CPU per probe vs NetIO bare handshake", cpu, netio, "-", None, " ms")]
    if "niced_cpu_ms_per_probe" in f:
        lines.append(row("exporter CPU per probe vs `openssl s_time -new`, simulator at the probes' nice (10), 1 round",
                         num(f, "niced_cpu_ms_per_probe"), num(f, "niced_s_time_cpu_ms_per_handshake"), "-", None, " ms"))
    if "probe_cpu_seconds_each" in f:
        sequential = 1000 * num(f, "probe_cpu_seconds_each")
        lines.append(row("whole probe one after another (`atsign_bench probe`) vs NetIO bare handshake",
                         sequential, netio, "-", None, " ms"))
    for r in rounds:
        lines.append(row(f"{r}: activated correct / hung cut at deadline / other failures",
                         num(f, r + "_activated"), None,
                         f"{whole(f, r + '_cut_at_deadline')} cut (mean {f.get(r + '_hung_mean_seconds')} s), "
                         f"{whole(f, r + '_failed_otherwise')} other", None))
    return lines


def root_table(f):
    per10k = 10000 * num(f, "root_handshakes") / num(f, "root_lookups")
    return [HEADER, row("root TLS handshakes per 10,000 lookups", per10k, 10000, "≤ 1 % (100)", per10k <= 100,
                        ref_unit=" lookups"),
            row("root lookups per second (64 concurrent, in-process root)", num(f, "root_lookups_per_second"),
                None, "-", None)]


def scrape_table(f):
    lines = [HEADER]
    for enc in ("plain", "gzip"):
        for pct in ("p50", "p99"):
            ours, ref = num(f, f"scrape_ours_{enc}_c1_{pct}_ms"), num(f, f"scrape_nginx_{enc}_c1_{pct}_ms")
            limit = 1.5 if enc == "plain" else 2
            target = f"≤ {limit}× nginx" if pct == "p50" else "-"
            lines.append(row(f"`/metrics` {enc} latency {pct}, wrk -c1", ours, ref, target,
                             ours <= limit * ref if pct == "p50" else None, " ms"))
        ours, ref = num(f, f"scrape_ours_{enc}_c16_rps"), num(f, f"scrape_nginx_{enc}_c16_rps")
        lines.append(row(f"`/metrics` {enc} throughput, wrk -c16", ours, ref, "-", None, " req/s"))
    for q in ("0.5", "0.99"):
        lines.append(row(f"Prometheus scrape_duration_seconds q{q}", num(f, f"prometheus_scrape_duration_q{q}_ms"),
                         None, "-", None, " ms"))
    lines.append(row("body size", num(f, "scrape_body_bytes") / 1e6, None, "-", None, " MB"))
    return lines


def blackbox_table(f):
    return [HEADER,
            row("/probe latency p50 (ours: root lookup + atServer check)", num(f, "probe_ours_p50_ms"),
                num(f, "probe_blackbox_p50_ms"), "-", None, " ms"),
            row("/probe latency p99", num(f, "probe_ours_p99_ms"), num(f, "probe_blackbox_p99_ms"), "-", None, " ms"),
            row("/probe CPU per probe", num(f, "probe_ours_cpu_ms_per_probe"),
                num(f, "probe_blackbox_cpu_ms_per_probe"), "-", None, " ms")]


def busy_table(f):
    lines = [HEADER]
    # gzip p50, the target: pairs of wrk runs in turn (ours, then nginx).
    suffixes = [""] + [f"_pair{p}" for p in (2, 3) if f"busy_ours_gzip_c1_pair{p}_p50_ms" in f]
    lines += paired_rows("`/metrics` gzip p50 during rounds, wrk -c1 vs nginx gzip_static (a pair: one run each, in turn)",
                         [num(f, f"busy_ours_gzip_c1{s}_p50_ms") for s in suffixes],
                         [num(f, f"busy_nginx_gzip_c1{s}_p50_ms") for s in suffixes], 2, " ms")
    for enc, ref_name, pct in (("gzip", "gzip_static", "p99"), ("plain", "sendfile", "p50"), ("plain", "sendfile", "p99")):
        ours_p, ref_p = num(f, f"busy_ours_{enc}_c1_{pct}_ms"), num(f, f"busy_nginx_{enc}_c1_{pct}_ms")
        lines.append(row(f"`/metrics` {enc} {pct} during rounds, wrk -c1 (nginx {ref_name})", ours_p, ref_p, "-", None,
                         " ms"))
    lines.append(row("exporter's own time per gzip answer during rounds (render_duration gauge, median of 40)",
                     num(f, "busy_handler_gzip_median_ms"), None, "-", None, " ms"))
    for q in ("0.5", "0.99"):
        lines.append(row(f"Prometheus scrape_duration_seconds q{q} during rounds",
                         num(f, f"busy_prometheus_q{q}_ms"), None, "-", None, " ms"))
    lines.append(row("probes finished during the wrk runs (40 s; rounds were running)",
                     num(f, "busy_probes_during_wrk"), None, "-", None))
    lines.append(row("atSigns with a result in the body (steady state: all)", num(f, "busy_atsigns_in_body"), None,
                     f"{whole(f, 'atsigns'):,}", None))
    lines.append(row("body size, plain / gzip (default profile)", num(f, "busy_body_bytes") / 1e6, None,
                     f"{fmt(num(f, 'busy_gzip_bytes') / 1e6)} MB gzip", None, " MB"))
    return lines


def cost_table(f):
    n = whole(f, "atsigns")
    lines = ["| profile | changed atSigns | scrape plain ms | scrape gzip ms | record ms per result | body MB |",
             "|---|---|---|---|---|---|"]
    for profile, prefix in (("default", f"scrape_{n}"), ("full", f"scrape_full_{n}")):
        for changed in (1, 100, n):
            lines.append(f"| {profile} | {changed:,} | {fmt(1000 * num(f, f'{prefix}_changed_{changed}_plain_seconds'))} "
                         f"| {fmt(1000 * num(f, f'{prefix}_changed_{changed}_gzip_seconds'))} "
                         f"| {fmt(1000 * num(f, f'{prefix}_record_seconds_per_result'))} "
                         f"| {fmt(num(f, f'{prefix}_body_bytes') / 1e6)} |")
    return lines


def memory_table(f):
    n = whole(f, "atsigns")
    mib = 1 << 20
    rss = median(f, [f"round{i}_rss_bytes" for i in (1, 2, 3)]) / mib
    r5, r30 = num(f, "memory_rss_early_median_bytes") / mib, num(f, "memory_rss_late_median_bytes") / mib
    b1, blast = num(f, "busy_rss_early_bytes") / mib, num(f, "busy_rss_last_bytes") / mib
    k10, k100 = num(f, "configured10k_rss_bytes"), num(f, "configured100k_rss_bytes")
    marginal = (k100 - k10) / 90000 / 1024
    return [HEADER,
            row(f"RSS after a round of {n:,} atSigns (concurrency 512)", rss, 64, "≤ 64 MiB", rss <= 64, " MiB"),
            row(f"lowest RSS over the last 90 s of {whole(f, 'busy_rounds')} rounds of {n:,} vs the 40 s after "
                "round 1 and its first scrapes (interval 15s, scraped)", blast, b1, "flat (≤ 1.1×)",
                blast <= 1.1 * b1, " MiB"),
            row("highest RSS over those 90 s vs over those 40 s (during a round)",
                num(f, "busy_rss_last_peak_bytes") / mib, num(f, "busy_rss_early_peak_bytes") / mib, "-", None,
                " MiB"),
            row("RSS right after round 1 (before any scrape)", num(f, "busy_rss_after_round1_bytes") / mib, None,
                "-", None, " MiB"),
            row(f"median RSS, rounds 25–30 vs rounds 3–7 ({whole(f, 'memory_rounds')} rounds of 1,000, "
                f"{f.get('memory_readings')} readings)", r30, r5, "no growth (≤ 1.1×)", r30 <= 1.1 * r5, " MiB"),
            row("lowest RSS, rounds 25–30 vs rounds 3–7 (after a round's trim)",
                num(f, "memory_rss_late_low_bytes") / mib, num(f, "memory_rss_early_low_bytes") / mib, "-", None,
                " MiB"),
            row("highest RSS, rounds 25–30 vs rounds 3–7 (during a round)",
                num(f, "memory_rss_late_high_bytes") / mib, num(f, "memory_rss_early_high_bytes") / mib, "-", None,
                " MiB"),
            row("RSS with 100,000 configured vs 10,000, after 30 s", k100 / mib, k10 / mib, "-", None, " MiB"),
            row("marginal memory per configured atSign ((100k - 10k) / 90,000)", marginal, 2, "≤ 2 KiB",
                marginal <= 2, " KiB")]


def growth_table(f):
    n = whole(f, "atsigns")
    lines = ["| atSigns | round s | probes/s | CPU ms per probe | RSS MiB |", "|---|---|---|---|---|"]
    for count, key in ((n // 100, f"growth_{n // 100}"), (n // 10, f"growth_{n // 10}"), (n, "round1")):
        lines.append(f"| {count:,} | {fmt(num(f, key + '_round_seconds'))} | {fmt(num(f, key + '_probes_per_second'))} "
                     f"| {fmt(num(f, key + '_cpu_ms_per_probe'))} | {fmt(num(f, key + '_rss_bytes') / (1 << 20))} |")
    lines += ["", "| atSigns | render text ms | render OpenMetrics ms | gzip ms | body MB | ms per 1,000 atSigns |",
              "|---|---|---|---|---|---|"]
    for count in (1000, 10000, 100000):
        text = 1000 * num(f, f"render_{count}_text_seconds")
        lines.append(f"| {count:,} | {fmt(text)} | {fmt(1000 * num(f, f'render_{count}_openmetrics_seconds'))} "
                     f"| {fmt(1000 * num(f, f'render_{count}_gzip_seconds'))} "
                     f"| {fmt(num(f, f'render_{count}_body_bytes') / 1e6)} | {fmt(text / (count / 1000))} |")
    return lines


def commands(f):
    return [f"- {k[4:]}: `{v}`" for k, v in f.items() if k.startswith("cmd_")]


def main():
    f = load(sys.argv[1])
    sections = [
        ("1. Probe round at scale", probe_table, "round1_round_seconds"),
        ("2. Root pooling", root_table, "root_lookups"),
        ("3. Scrape, quiet", scrape_table, "scrape_ours_plain_c1_p50_ms"),
        ("3b. Scrape during probe rounds", busy_table, "busy_ours_gzip_c1_p50_ms"),
        ("3c. Scrape cost by changed atSigns (in-process)", cost_table, f"scrape_{whole(f, 'atsigns')}_body_bytes"),
        ("4. The nearest peer: blackbox_exporter", blackbox_table, "probe_ours_p50_ms"),
        ("5. Memory", memory_table, "memory_rss_late_median_bytes"), ("6. Growth", growth_table, "render_1000_text_seconds"),
    ]
    skipped = [title for title, _, key in sections if key not in f]
    sections = [(title, table(f)) for title, table, key in sections if key in f]
    out = [BEGIN, f"Machine: {f.get('machine')}; load average at start {f.get('load_at_start')}; "
           f"run took {f.get('total_seconds')} s (`{f.get('command', 'scripts/bench.sh')}`).", ""]
    if skipped:
        out += ["Not run this time (their last figures are in the git history of this file): "
                + "; ".join(skipped) + ".", ""]
    for title, lines in sections:
        out += [f"### {title}", ""] + lines + [""]
    out += ["### Commands", ""] + commands(f) + ["", END]
    text = "\n".join(out)
    print(text)
    if len(sys.argv) > 2:
        path = sys.argv[2]
        try:
            doc = open(path).read()
        except FileNotFoundError:
            doc = f"# Benchmarks\n\n{BEGIN}\n{END}\n"
        head, _, rest = doc.partition(BEGIN)
        _, _, tail = rest.partition(END)
        open(path, "w").write(head + text + tail)


main()
