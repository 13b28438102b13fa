#!/usr/bin/env python3
"""Turns one run's measurements into benchmarks/RESULTS.md with a PASS / FAIL / UNRESOLVED verdict per budget line.

Inputs: JMH's JSON (run with -prof gc), the server-CPU harness's cpu.json (io.vigil.benchmarks.cpu.ServerCpuRun),
MemoryFootprint's output (`retained_bytes=`) and AlertStoreFootprint's output (`tick_cpu_ms_median=`,
`tick_cpu_ms_p90=`; optional). Benchmark methods are named `workload_variant`; the variant `bare` is the baseline
of its workload in the same class, `vigil` is Vigil, every other variant is a peer.

A verdict is PASS or FAIL only when the whole interval of the measured figure is on one side of the budget;
otherwise UNRESOLVED. Intervals: a JMH score is score ± its 99.9 % error (a difference of two scores: the errors
combined in quadrature); a server-CPU figure is the interquartile range of its per-round ratios, widened on both
sides by the A/A control's resolution (the larger of |Q1| and |Q3| of two identical bare servers' ratios).
"""
import argparse
import json
import math
import re
from collections import OrderedDict

NS_BUDGET = [
    # (class, workload, max extra ns/op over bare, max extra B/op over bare, Vigil must be below every peer)
    ("ServletFilterBenchmark", "sync", 150.0, 0.0, True),
    ("ServletFilterBenchmark", "normalizedPath", 300.0, 0.0, True),
    ("OperationsBenchmark", "scoped", 100.0, 0.0, False),  # issue 15
    ("OperationsBenchmark", "runnable", 100.0, 0.0, False),  # issue 15
    ("JdbcStubBenchmark", "statementCycle", 150.0, "JDBC_STUB_ALLOC_BUDGET", True),
    ("JettyLocalConnectorBenchmark", "hello", None, None, True),
]
# Extra B/op allowed to Vigil's JDBC wrappers on the stub statement cycle: the wrapper objects themselves,
# issue 16 item 3 — MonitoredPreparedStatement (80 B) + MonitoredResultSet (48 B) on JDK 17 with compressed
# references (field offsets; see benchmarks/README.md). Recording allocates nothing on top.
JDBC_STUB_ALLOC_BUDGET = 128.0
ALLOC_TOLERANCE = 1.0  # B/op: gc.alloc.rate.norm jitters below one byte
MEMORY_BUDGET_BYTES = 20 * 1024 * 1024
TICK_BUDGET_MS = 50.0
REQUEST_SHARE_BUDGET = 0.01  # Vigil's share of one request's server CPU
CPU_OVERHEAD_BUDGET = 0.01
MIN_CPU_ROUNDS = 8  # fewer rounds (a smoke run) give quartiles that mean nothing: no verdict
# Latency over real I/O on a shared machine cannot resolve 1 %: shown, never judged.
NO_VERDICT = ("JdbcH2Benchmark", "JdbcPostgresBenchmark", "JettyEndToEndBenchmark",
              "RedisLettuceBenchmark", "RedisJedisBenchmark")
CPU_TARGETS = OrderedDict([("jetty", "Jetty hello"), ("postgres", "PostgreSQL point select"),
                           ("redis", "Redis GET (Lettuce)")])

PASS, FAIL, UNRESOLVED = "PASS", "FAIL", "UNRESOLVED"


def at_most(lo, hi, limit):
    """Verdict of `value <= limit` for a value known to lie in [lo, hi]."""
    if lo is None or hi is None or any(math.isnan(x) for x in (lo, hi)):
        return UNRESOLVED
    if hi <= limit:
        return PASS
    if lo > limit:
        return FAIL
    return UNRESOLVED


def below(lo, hi, limit):
    """Verdict of `value < limit` for a value known to lie in [lo, hi]."""
    if lo is None or hi is None or any(math.isnan(x) for x in (lo, hi)):
        return UNRESOLVED
    if hi < limit:
        return PASS
    if lo >= limit:
        return FAIL
    return UNRESOLVED


def quantile(values, p):
    """Linear interpolation between order statistics (numpy's default; Quartiles.java does the same)."""
    s = sorted(values)
    if not s:
        return float("nan")
    pos = p * (len(s) - 1)
    low = int(math.floor(pos))
    high = min(low + 1, len(s) - 1)
    return s[low] + (s[high] - s[low]) * (pos - low)


def error_of(metric):
    e = metric.get("scoreError")
    if e is None or (isinstance(e, float) and math.isnan(e)) or e == "NaN":
        return float("inf")  # one iteration: JMH states no error, so nothing is resolved
    return float(e)


def load_jmh(paths):
    runs = []
    for path in paths:
        try:
            with open(path) as f:
                runs += json.load(f)
        except FileNotFoundError:
            pass
    rows = []
    for run in runs:
        cls, method = run["benchmark"].rsplit(".", 2)[-2:]
        workload, _, variant = method.partition("_")
        params = run.get("params") or {}
        key = workload
        if params:
            key += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
        primary = run["primaryMetric"]
        alloc = (run.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
        rows.append({
            "class": cls, "base": workload, "workload": key, "variant": variant or "-", "mode": run["mode"],
            "score": float(primary["score"]), "error": error_of(primary), "unit": primary["scoreUnit"],
            "alloc": float(alloc["score"]) if alloc else None, "alloc_error": error_of(alloc) if alloc else None,
        })
    return rows


def diff(a, b, field="score", err="error"):
    """a - b with its interval (errors combined in quadrature)."""
    d = a[field] - b[field]
    e = math.hypot(a[err], b[err]) if math.isfinite(a[err]) and math.isfinite(b[err]) else float("inf")
    return d, d - e, d + e


def fmt(x, digits=1):
    if x is None:
        return "n/a"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:,.{digits}f}"


def interval(lo, hi, digits=0, unit=""):
    return f"[{fmt(lo, digits)}, {fmt(hi, digits)}]{unit}"


def pct(x, digits=2):
    return "n/a" if x is None or math.isnan(x) else f"{x * 100:+.{digits}f} %"


class Checks:
    def __init__(self):
        self.rows = []

    def add(self, verdict, check, measured, budget):
        self.rows.append((verdict, check, measured, budget))


def jmh_checks(rows, checks):
    groups = OrderedDict()
    for row in rows:
        groups.setdefault((row["class"], row["workload"]), []).append(row)
    for cls, base, max_ns, max_bytes, vs_peers in NS_BUDGET:
        matching = [(k, g) for k, g in groups.items() if k[0] == cls and g[0]["base"] == base]
        if not matching:
            checks.add(UNRESOLVED, f"`{cls}.{base}`", "not measured in this run", "—")
            continue
        for (_, workload), group in matching:
            bare = next((r for r in group if r["variant"] == "bare"), None)
            vigil = next((r for r in group if r["variant"] == "vigil"), None)
            name = f"`{cls}.{workload}`"
            if bare is None or vigil is None:
                checks.add(UNRESOLVED, name, "no bare or no vigil variant in this run", "—")
                continue
            if max_ns is not None:
                d, lo, hi = diff(vigil, bare)
                checks.add(at_most(lo, hi, max_ns), f"{name}: Vigil's time over bare",
                           f"{d:+,.1f} ns {interval(lo, hi, 1)}", f"≤ {max_ns:.0f} ns")
            if max_bytes is not None and vigil["alloc"] is not None and bare["alloc"] is not None:
                limit = JDBC_STUB_ALLOC_BUDGET if max_bytes == "JDBC_STUB_ALLOC_BUDGET" else max_bytes
                d, lo, hi = diff(vigil, bare, "alloc", "alloc_error")
                checks.add(at_most(lo, hi, limit + ALLOC_TOLERANCE), f"{name}: Vigil's allocation over bare",
                           f"{d:+,.1f} B/op {interval(lo, hi, 1)}",
                           f"≤ {limit:.0f} B/op" + (" (`JDBC_STUB_ALLOC_BUDGET`)" if limit != max_bytes else ""))
            if vs_peers:
                peers = [r for r in group if r["variant"] not in ("bare", "vigil")]
                if not peers:
                    checks.add(UNRESOLVED, f"{name}: Vigil below every peer", "no peer in this run", "< each peer")
                for peer in peers:
                    d, lo, hi = diff(vigil, peer)
                    if vigil["mode"] == "thrpt":
                        d, lo, hi = -d, -hi, -lo
                    checks.add(below(lo, hi, 0.0), f"{name}: Vigil below `{peer['variant']}`",
                               f"{fmt(vigil['score'])} vs {fmt(peer['score'])} {vigil['unit']}, "
                               f"difference {d:+,.1f} {interval(lo, hi, 1)}", "< 0")


def cpu_overhead(variant, control):
    """(median, lo, hi) of a variant's per-round overhead, widened by the A/A control's resolution."""
    ratios = variant["overhead"]
    q1, med, q3 = quantile(ratios, .25), quantile(ratios, .5), quantile(ratios, .75)
    res = resolution(control)
    return med, q1 - res, q3 + res


def resolution(control):
    ratios = control["overhead"]
    return max(abs(quantile(ratios, .25)), abs(quantile(ratios, .75)))


def cpu_checks(cpu, checks):
    targets = (cpu or {}).get("targets", {})
    for target, label in CPU_TARGETS.items():
        data = targets.get(target)
        if data is None:
            checks.add(UNRESOLVED, f"server CPU per request, {label}: Vigil's overhead", "not measured in this run",
                       "< 1 %")
            continue
        variants = data["variants"]
        control = variants[data.get("control", "bareB")]
        vigil = variants["vigil"]
        med, lo, hi = cpu_overhead(vigil, control)
        few = len(vigil["overhead"]) < MIN_CPU_ROUNDS
        if few:
            lo, hi = float("nan"), float("nan")  # unresolved by construction; the median is still shown
        checks.add(below(lo, hi, CPU_OVERHEAD_BUDGET), f"server CPU per request, {label}: Vigil's overhead",
                   f"{pct(med)} [{pct(lo)}, {pct(hi)}] (A/A resolution ±{resolution(control) * 100:.2f} %)",
                   "< 1 %")
        for name, peer in variants.items():
            if name.startswith("bare") or name == "vigil":
                continue
            pmed, plo, phi = cpu_overhead(peer, control)
            # Vigil below the peer when Vigil's whole interval lies below the peer's.
            verdict = UNRESOLVED if few else PASS if hi < plo else FAIL if lo > phi else UNRESOLVED
            checks.add(verdict, f"server CPU per request, {label}: Vigil below `{name}`",
                       f"Vigil {pct(med)} [{pct(lo)}, {pct(hi)}] vs {pct(pmed)} [{pct(plo)}, {pct(phi)}]", "< peer")


def request_share_check(rows, cpu, checks):
    """The in-memory container cost of Vigil (LocalConnector) over the bare server's CPU per socket request."""
    name = "Vigil's share of a Jetty request: LocalConnector (vigil − bare) / bare server CPU per socket request"
    group = [r for r in rows if r["class"] == "JettyLocalConnectorBenchmark" and r["base"] == "hello"]
    bare = next((r for r in group if r["variant"] == "bare"), None)
    vigil = next((r for r in group if r["variant"] == "vigil"), None)
    jetty = ((cpu or {}).get("targets") or {}).get("jetty")
    if bare is None or vigil is None or jetty is None:
        checks.add(UNRESOLVED, name, "numerator or denominator not measured in this run", "< 1 %")
        return
    d, dlo, dhi = diff(vigil, bare)
    per_request = jetty["variants"]["bare"]["cpu_ns_per_request"]
    if len(per_request) < MIN_CPU_ROUNDS:
        checks.add(UNRESOLVED, name, f"fewer than {MIN_CPU_ROUNDS} server-CPU rounds", "< 1 %")
        return
    q1, med, q3 = quantile(per_request, .25), quantile(per_request, .5), quantile(per_request, .75)
    share, lo, hi = d / med, max(dlo, 0.0) / q3, dhi / q1 if q1 > 0 else float("inf")
    checks.add(below(lo, hi, REQUEST_SHARE_BUDGET), name,
               f"{d:+,.0f} ns {interval(dlo, dhi)} / {med:,.0f} ns [{q1:,.0f}, {q3:,.0f}] = "
               f"{share * 100:.2f} % [{lo * 100:.2f} %, {hi * 100:.2f} %]", "< 1 %")


def keys(path):
    values = {}
    if path:
        try:
            with open(path) as f:
                for line in f:
                    for m in re.finditer(r"(\w+)=(-?[\d.]+)", line):
                        values.setdefault(m.group(1), float(m.group(2)))
        except FileNotFoundError:
            pass
    return values


def footprint_checks(memory, tick, checks):
    retained = keys(memory).get("retained_bytes")
    if retained is None:
        checks.add(UNRESOLVED, "retained heap at the reference load", "not measured in this run", "≤ 20 MiB")
    else:
        checks.add(PASS if retained <= MEMORY_BUDGET_BYTES else FAIL, "retained heap at the reference load",
                   f"{retained / 1024 / 1024:.1f} MiB", "≤ 20 MiB")
    t = keys(tick)
    if "tick_cpu_ms_median" not in t or "tick_cpu_ms_p90" not in t:
        checks.add(UNRESOLVED, "alert evaluation tick, CPU", "not measured in this run", f"≤ {TICK_BUDGET_MS:.0f} ms")
    else:
        med, p90 = t["tick_cpu_ms_median"], t["tick_cpu_ms_p90"]
        checks.add(at_most(med, p90, TICK_BUDGET_MS), "alert evaluation tick, CPU (median [.. p90])",
                   f"{med:.1f} ms [.. {p90:.1f} ms]", f"≤ {TICK_BUDGET_MS:.0f} ms")


def jmh_table(rows):
    out = ["| benchmark | workload | variant | score | ± error | unit | B/op | vs bare |", "|---|---|---|---:|---:|---|---:|---:|"]
    groups = OrderedDict()
    for row in rows:
        groups.setdefault((row["class"], row["workload"]), []).append(row)
    for (cls, workload), group in groups.items():
        bare = next((r for r in group if r["variant"] == "bare"), None)
        for row in group:
            if row is bare:
                text = "baseline"
            elif bare is None:
                text = ""
            elif row["mode"] == "thrpt":
                text = f"{(bare['score'] / row['score'] - 1) * 100:+.2f} %"
            else:
                text = f"{row['score'] - bare['score']:+,.1f} {row['unit'].split('/')[0]}"
            if cls in NO_VERDICT:
                text += " (I/O latency: no verdict)"
            out.append(f"| {cls} | {workload} | {row['variant']} | {fmt(row['score'], 3)} | {fmt(row['error'], 3)} "
                       f"| {row['unit']} | {fmt(row['alloc'])} | {text} |")
    return out


def cpu_table(cpu):
    out = []
    if not cpu:
        return ["Not measured in this run."]
    pin = (f"server on CPU {cpu['server_cpus']}, load generator on CPU {cpu['load_cpus']} (`taskset`)"
           if cpu.get("pinned") else "**not pinned** (`taskset` absent)")
    warm = ", ".join(f"{t} {d['warmup_rounds']}" + (f" (JIT still {d['warmup_last_jit_share'] * 100:.0f} % of CPU)"
                                                     if (d.get("warmup_last_jit_share") or 0) > 0.02 else "")
                     for t, d in cpu["targets"].items() if "warmup_rounds" in d)
    out += [f"{cpu['rounds']} rounds of {cpu['seconds']} s per server after at least {cpu['warmup']} warm-up rounds "
            f"of {cpu['warmup_seconds']} s (more until the JIT compilers are quiet{': ' + warm if warm else ''}), "
            f"{cpu['connections']} keep-alive connections, {pin}; harness time {cpu.get('elapsed_s', 0):.0f} s.", "",
            "| target | variant | server CPU per request, median [IQR] | overhead vs bare, median [IQR] "
            "| JIT, excluded (median) | requests per round (median) | recorded / sent |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for target, data in cpu["targets"].items():
        for name, v in data["variants"].items():
            per = v["cpu_ns_per_request"]
            over = v.get("overhead")
            over_text = "baseline" if over is None else \
                f"{pct(quantile(over, .5))} [{pct(quantile(over, .25))}, {pct(quantile(over, .75))}]"
            if name == data.get("control"):
                over_text += " (A/A control)"
            rec = "—" if v["recorded"] < 0 else f"{v['recorded']:,} / {v['sent']:,}"
            out.append(f"| {CPU_TARGETS.get(target, target)} | {name} | {quantile(per, .5) / 1000:,.1f} µs "
                       f"[{quantile(per, .25) / 1000:,.1f}, {quantile(per, .75) / 1000:,.1f}] | {over_text} "
                       f"| {quantile(v.get('jit_ns_per_request') or [0], .5) / 1000:,.1f} µs "
                       f"| {quantile(v['requests'], .5):,.0f} | {rec} |")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jmh", action="append", default=[])
    ap.add_argument("--cpu-json")
    ap.add_argument("--memory")
    ap.add_argument("--tick")
    for arg in ("profile", "command", "started", "java", "cpu"):
        ap.add_argument("--" + arg, required=True)
    ap.add_argument("--finished", default="")
    ap.add_argument("--load-start", default="")
    ap.add_argument("--load-end", default="")
    ap.add_argument("--elapsed", default="")
    a = ap.parse_args()

    rows = load_jmh(a.jmh)
    cpu = None
    if a.cpu_json:
        try:
            with open(a.cpu_json) as f:
                cpu = json.load(f)
        except FileNotFoundError:
            cpu = None
    checks = Checks()
    jmh_checks(rows, checks)
    request_share_check(rows, cpu, checks)
    cpu_checks(cpu, checks)
    footprint_checks(a.memory, a.tick, checks)
    counts = {v: sum(1 for r in checks.rows if r[0] == v) for v in (PASS, FAIL, UNRESOLVED)}

    out = ["# Benchmark results", "",
           f"- profile: `{a.profile}`, started {a.started}" + (f", finished {a.finished}" if a.finished else "")
           + (f" ({a.elapsed})" if a.elapsed else ""),
           f"- load average (1, 5, 15 min) at start: {a.load_start or 'n/a'}; at end: {a.load_end or 'n/a'}",
           f"- command: `{a.command}`",
           f"- JDK: {a.java}",
           f"- CPU: {a.cpu}",
           f"- verdicts: {counts[PASS]} PASS, {counts[FAIL]} FAIL, {counts[UNRESOLVED]} UNRESOLVED", "",
           "## How to read the verdicts", "",
           "A verdict is **PASS** or **FAIL** only when the whole interval of the measured figure lies on one side",
           "of the budget; otherwise it is **UNRESOLVED**: the run could not tell, and only a longer run",
           "(`full`) on a quieter machine can. Intervals:",
           "",
           "- JMH (in-process, stub or in-memory work): score ± JMH's 99.9 % error; a difference of two scores",
           "  (Vigil − bare, Vigil − peer) carries the two errors combined in quadrature.",
           "- Server CPU per request (`io.vigil.benchmarks.cpu.ServerCpuRun`): each server in its own JVM, its",
           "  process CPU time (less its JIT compiler threads', a one-time cost shown apart) over the requests",
           "  it served, bare and instrumented alternating with the order",
           "  rotated every round. The figure is the median of the per-round ratios (instrumented / bare − 1),",
           "  its interval the interquartile range widened on both sides by the method's resolution: the larger",
           "  of |Q1| and |Q3| of an **A/A control**, two identical bare servers measured the same way. Fewer",
           f"  than {MIN_CPU_ROUNDS} rounds (a smoke run) resolve nothing.",
           "- The *share of a request* divides Vigil's cost inside Jetty without the network (Jetty's",
           "  `LocalConnector` under JMH, vigil − bare) by the bare server's CPU per socket request (its IQR):",
           "  the lower end uses the smallest numerator over the largest denominator, the upper the reverse.",
           "- Retained heap is one deterministic measurement; the alert tick is judged on its median and p90.",
           "",
           "Latency benchmarks over real I/O (`JdbcH2Benchmark`, `JdbcPostgresBenchmark`, `JettyEndToEndBenchmark`,",
           "`RedisLettuceBenchmark`, `RedisJedisBenchmark`) stay in the table but get **no verdict**: their error",
           "on a shared 2-core machine is tens of percent, so they cannot resolve a 1 % budget. The end-to-end",
           "budget is judged by server CPU per request instead.", "",
           "## Budget", "",
           "| verdict | check | measured [interval] | budget |", "|---|---|---|---|"]
    out += [f"| {v} | {c} | {m} | {b} |" for v, c, m, b in checks.rows]
    out += ["", "## Server CPU per request", ""] + cpu_table(cpu)
    out += ["", "## JMH results", "",
            "JMH 1.37 with `-prof gc`; score ± 99.9 % error; B/op = `gc.alloc.rate.norm`; the difference is",
            "against the `bare` variant of the same workload in the same run.", ""]
    out += jmh_table(rows) if rows else ["Not measured in this run."]
    out += ["", "Reference load for the memory line: the whole catalog registered, 100 routes × 5 statuses of",
            "`http.server.requests` with percentile histograms, 3 pools, 20 Redis commands and a 1-hour",
            "active-users window fed with 100,000 users (`io.vigil.benchmarks.MemoryFootprint`).", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
