#!/usr/bin/env python3
"""Turns JMH's JSON (run with -prof gc) into benchmarks/RESULTS.md and checks the overhead budget.

Benchmark methods are named `workload_variant`; the variant `bare` is the baseline of its workload in the same
class. Overhead is reported against it: for average-time benchmarks as extra ns/op and as a ratio, for
throughput benchmarks as the relative loss of ops/s.
"""
import argparse
import json
import re
from collections import OrderedDict

# The budget of issue 7 / DESIGN.md "Performance budget".
RELATIVE_BUDGET = {  # class -> max relative overhead
    "JettyEndToEndBenchmark": 0.01,
    "JdbcPostgresBenchmark": 0.01,
}
ABSOLUTE_BUDGET_NS = {  # class -> (max extra ns/op, max extra B/op)
    "ServletFilterBenchmark": (150.0, 0.0),
    "JdbcH2Benchmark": (150.0, 0.0),
    "OperationsBenchmark": (100.0, 0.0),  # issue 15
}
MEMORY_BUDGET_BYTES = 20 * 1024 * 1024
ALLOC_TOLERANCE = 1.0  # B/op: JMH's gc.alloc.rate.norm jitters below one byte


def load(path):
    with open(path) as f:
        runs = json.load(f)
    rows = []
    for run in runs:
        cls, method = run["benchmark"].rsplit(".", 2)[-2:]
        workload, _, variant = method.partition("_")
        params = run.get("params") or {}
        if params:
            workload += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
        primary = run["primaryMetric"]
        alloc = (run.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
        rows.append({
            "class": cls, "workload": workload, "variant": variant or "-", "mode": run["mode"],
            "score": primary["score"], "error": primary.get("scoreError") or 0.0, "unit": primary["scoreUnit"],
            "alloc": alloc["score"] if alloc else None,
        })
    return rows


def overhead(row, bare):
    if bare is None or row is bare:
        return None
    if row["mode"] == "thrpt":
        return bare["score"] / row["score"] - 1.0, None
    return row["score"] / bare["score"] - 1.0, row["score"] - bare["score"]


def noise(row, bare):
    """The combined 99.9% error of a difference between two scores, and a note when the difference is inside it."""
    error = (row["error"] ** 2 + bare["error"] ** 2) ** 0.5
    inside = abs(row["score"] - bare["score"]) <= error
    return error, (" — difference within the 99.9% error, not significant" if inside else "")


def fmt(x, digits=1):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    for arg in ("jmh", "memory", "profile", "command", "started", "java", "cpu"):
        ap.add_argument("--" + arg, required=True)
    a = ap.parse_args()
    rows = load(a.jmh)
    groups = OrderedDict()
    for row in rows:
        groups.setdefault((row["class"], row["workload"]), []).append(row)

    out = ["# Benchmark results", "",
           f"- profile: `{a.profile}`, started {a.started}",
           f"- command: `{a.command}`",
           f"- JDK: {a.java}",
           f"- CPU: {a.cpu}",
           "- JMH 1.37 with `-prof gc`; score ± 99.9% error; B/op = `gc.alloc.rate.norm`.",
           "- Overhead is against the `bare` variant of the same workload, measured in the same run.",
           "", "## Results", "",
           "| benchmark | workload | variant | score | ± error | unit | B/op | overhead |",
           "|---|---|---|---:|---:|---|---:|---:|"]
    checks = []
    for (cls, workload), group in groups.items():
        bare = next((r for r in group if r["variant"] == "bare"), None)
        for row in group:
            o = overhead(row, bare)
            text = "baseline" if row is bare else ("" if o is None else
                   f"{o[0] * 100:+.2f}%" + ("" if o[1] is None else f" ({o[1]:+,.0f} ns)"))
            out.append(f"| {cls} | {workload} | {row['variant']} | {fmt(row['score'], 3)} | {fmt(row['error'], 3)} "
                       f"| {row['unit']} | {fmt(row['alloc'])} | {text} |")
        vigil = next((r for r in group if r["variant"] == "vigil"), None)
        if vigil is None or bare is None:
            continue
        rel, extra = overhead(vigil, bare)
        error, note = noise(vigil, bare)
        if cls in RELATIVE_BUDGET:
            limit = RELATIVE_BUDGET[cls]
            checks.append((rel < limit, f"{cls} {workload}: overhead {rel * 100:+.2f}% "
                                        f"(± {error / bare['score'] * 100:.1f}%) < {limit * 100:.0f}%{note}"))
        if cls in ABSOLUTE_BUDGET_NS:
            max_ns, max_bytes = ABSOLUTE_BUDGET_NS[cls]
            if extra is not None:
                checks.append((extra <= max_ns, f"{cls} {workload}: {extra:+.1f} ns/op (± {error:.0f}) over bare "
                                                f"<= {max_ns:.0f} ns{note}"))
            if vigil["alloc"] is not None and bare["alloc"] is not None:
                extra_bytes = vigil["alloc"] - bare["alloc"]
                checks.append((extra_bytes <= max_bytes + ALLOC_TOLERANCE,
                               f"{cls} {workload}: {extra_bytes:+.1f} B/op allocated by Vigil (budget 0)"))
        peers = [r for r in group if r["variant"] not in ("bare", "vigil")]
        for peer in peers:
            better = (vigil["score"] > peer["score"]) if vigil["mode"] == "thrpt" else (vigil["score"] < peer["score"])
            _, peer_note = noise(vigil, peer)
            checks.append((better, f"{cls} {workload}: Vigil {fmt(vigil['score'], 1)} vs {peer['variant']} "
                                   f"{fmt(peer['score'], 1)} {vigil['unit']}{peer_note}"))

    retained = None
    with open(a.memory) as f:
        for line in f:
            m = re.match(r"retained_bytes=(-?\d+)", line.strip())
            if m:
                retained = int(m.group(1))
    if retained is not None:
        checks.append((retained <= MEMORY_BUDGET_BYTES,
                       f"retained heap at the reference load: {retained / 1024 / 1024:.1f} MiB <= 20 MiB"))

    out += ["", "## Budget", "",
            "A verdict compares means; a line marked *not significant* is a difference smaller than the combined",
            "99.9% error of the two scores, which only a longer run (`full`) on a quiet machine can settle.", "",
            "| verdict | check |", "|---|---|"]
    out += [f"| {'PASS' if ok else 'FAIL'} | {text} |" for ok, text in checks]
    out += ["", "Reference load for the memory line: the whole catalog registered, 100 routes × 5 statuses of",
            "`http.server.requests` with percentile histograms, 3 pools, 20 Redis commands and a 1-hour",
            "active-users window fed with 100,000 users (`io.vigil.benchmarks.MemoryFootprint`).", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
