"""report.py and readme_table.py on synthetic JMH / inmem.json / cpu.json fixtures: every verdict (PASS, FAIL,
UNRESOLVED), on JMH alone and with the in-memory CPU figures that take the time verdicts over."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARKS = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
REPORT = os.path.join(BENCHMARKS, "report.py")
README_TABLE = os.path.join(BENCHMARKS, "readme_table.py")


def jmh(cls, method, score, error, alloc=0.0, alloc_error=0.0, params=None):
    return {"benchmark": f"io.vigil.benchmarks.{cls}.{method}", "mode": "avgt", "params": params,
            "primaryMetric": {"score": score, "scoreError": error, "scoreUnit": "ns/op"},
            "secondaryMetrics": {"gc.alloc.rate.norm": {"score": alloc, "scoreError": alloc_error,
                                                        "scoreUnit": "B/op"}}}


def cpu_target(bare_ns, control, vigil, peers=None):
    rounds = len(bare_ns)

    def variant(ratios):
        return {"cpu_ns_per_request": [b * (1 + r) for b, r in zip(bare_ns, ratios)],
                "requests": [1000] * rounds, "sent": 1000 * rounds, "recorded": 1000 * rounds, "overhead": ratios}

    variants = {"bare": {"cpu_ns_per_request": bare_ns, "requests": [1000] * rounds, "sent": 1000 * rounds,
                         "recorded": -1},
                "bareB": variant(control), "vigil": variant(vigil)}
    for name, ratios in (peers or {}).items():
        variants[name] = variant(ratios)
    return {"variants": variants, "baseline": "bare", "control": "bareB"}


OPS_COMPACT = {"active": "false", "histogram": "compact"}
OPS_LABEL = "[active=false,histogram=compact]"

FIXTURE_JMH = [
    # sync: +100 ± 14 ns -> PASS (<= 150); 0 B -> PASS; below springObservation by far -> PASS
    jmh("ServletFilterBenchmark", "sync_bare", 10.0, 2.0),
    jmh("ServletFilterBenchmark", "sync_vigil", 110.0, 10.0),
    jmh("ServletFilterBenchmark", "sync_springObservation", 3300.0, 100.0, alloc=2900.0),
    # normalizedPath: +400 ± 14 ns -> FAIL (> 300); 56 B extra -> FAIL
    jmh("ServletFilterBenchmark", "normalizedPath_bare", 10.0, 2.0),
    jmh("ServletFilterBenchmark", "normalizedPath_vigil", 410.0, 10.0, alloc=56.0),
    jmh("ServletFilterBenchmark", "normalizedPath_springObservation", 420.0, 50.0),  # vs Vigil: UNRESOLVED
    # scoped: +90 ± 50 ns -> UNRESOLVED (interval straddles 100)
    jmh("OperationsBenchmark", "scoped_bare", 10.0, 30.0, params=OPS_COMPACT),
    jmh("OperationsBenchmark", "scoped_vigil", 100.0, 40.0, params=OPS_COMPACT),
    # runnable: JMH stated no error (one iteration) -> UNRESOLVED
    jmh("OperationsBenchmark", "runnable_bare", 10.0, "NaN", params=OPS_COMPACT),
    jmh("OperationsBenchmark", "runnable_vigil", 20.0, "NaN", params=OPS_COMPACT),
    # statementCycle: +120 ns PASS, 104 B extra <= JDBC_STUB_ALLOC_BUDGET PASS, below p6spy PASS
    jmh("JdbcStubBenchmark", "statementCycle_bare", 50.0, 2.0, alloc=100.0),
    jmh("JdbcStubBenchmark", "statementCycle_vigil", 170.0, 5.0, alloc=204.0),
    jmh("JdbcStubBenchmark", "statementCycle_p6spy", 400.0, 10.0, alloc=900.0),
    # LocalConnector hello: vigil - bare = 200 ± 50 ns
    jmh("JettyLocalConnectorBenchmark", "hello_bare", 20000.0, 30.0),
    jmh("JettyLocalConnectorBenchmark", "hello_vigil", 20200.0, 40.0),
    jmh("JettyLocalConnectorBenchmark", "hello_timedHandler", 21000.0, 40.0),
    # I/O latency: in the table, no verdict
    jmh("JettyEndToEndBenchmark", "hello_bare", 180000.0, 100000.0),
    jmh("JettyEndToEndBenchmark", "hello_vigil", 190000.0, 100000.0),
]

FIXTURE_CPU = {
    "schema": 1, "started": "2026-12-02T07:00:00Z", "elapsed_s": 100.0, "pinned": True, "server_cpus": "0",
    "load_cpus": "1", "rounds": 8, "warmup": 2, "seconds": 10, "warmup_seconds": 5, "connections": 4,
    "targets": {
        # Jetty: Vigil +0.3 % with a tight A/A (±0.2 %) -> PASS; springObservation +20 % -> Vigil below: PASS
        "jetty": cpu_target([50000.0] * 8, [0.001, -0.001, 0.002, -0.002, 0.0, 0.001, -0.001, 0.0],
                            [0.003, 0.002, 0.004, 0.003, 0.003, 0.002, 0.004, 0.003],
                            {"springObservation": [0.2, 0.21, 0.19, 0.2, 0.22, 0.18, 0.2, 0.2]}),
        # PostgreSQL: +5 % -> FAIL
        "postgres": cpu_target([90000.0] * 8, [0.001, -0.001, 0.002, -0.002, 0.0, 0.001, -0.001, 0.0],
                               [0.05, 0.06, 0.05, 0.04, 0.05, 0.06, 0.05, 0.05]),
        # Redis: +0.5 % but the A/A control spreads ±4 % -> UNRESOLVED
        "redis": cpu_target([70000.0] * 8, [0.04, -0.04, 0.05, -0.05, 0.0, 0.04, -0.04, 0.0],
                            [0.005, 0.004, 0.006, 0.005, 0.005, 0.004, 0.006, 0.005]),
    },
}


ROUNDS = 21
BARE = [10.0 + (r % 3) for r in range(ROUNDS)]  # the baseline drifts round by round; the differences do not


def shifted(diffs, base=BARE):
    """A variant whose per-round difference to `base` is `diffs` (in round order)."""
    return [b + d for b, d in zip(base, diffs)]


def spread(center, half_width):
    """ROUNDS differences evenly spread over center ± half_width, shuffled (the report must sort them)."""
    values = [center - half_width + 2 * half_width * i / (ROUNDS - 1) for i in range(ROUNDS)]
    return values[::2] + values[1::2]


# Known sample: the differences 101..121 -> median 111, interval [x_(6), x_(16)] = [106, 116] for 21 rounds.
JDBC_DIFFS = [101.0 + i for i in (20, 3, 7, 0, 15, 11, 5, 18, 9, 1, 13, 6, 19, 2, 10, 16, 4, 12, 8, 17, 14)]
JDBC_VIGIL = shifted(JDBC_DIFFS)
JETTY_BARE = [8000.0 + 10 * (r % 4) for r in range(ROUNDS)]
JETTY_VIGIL = shifted(spread(200.0, 20.0), JETTY_BARE)


def inmem_run(rounds=ROUNDS, drop=(), jetty_control=spread(0.0, 30.0)):
    workloads = {
        # JMH says +100 ns (PASS); thread CPU says +200 ns [.. ] -> FAIL: the in-memory figure judges.
        "filter.sync": {"bare": BARE, "vigil": shifted(spread(200.0, 10.0)),
                        "springObservation": shifted(spread(3000.0, 100.0))},
        # JMH says +400 ns (FAIL); thread CPU +250 ns -> PASS (≤ 300).
        "filter.normalizedPath": {"bare": BARE, "vigil": shifted(spread(250.0, 10.0))},
        # +100 ± 30 ns straddles the 100 ns budget -> UNRESOLVED.
        "operations.scoped.compact": {"bare": BARE, "vigil": shifted(spread(100.0, 30.0)),
                                      "timerSample": shifted(spread(90.0, 5.0))},
        "jdbc.statementCycle": {"bare": BARE, "vigil": JDBC_VIGIL, "p6spy": shifted(spread(500.0, 10.0)),
                                "otelJdbc": shifted(spread(90.0, 5.0))},  # otelJdbc cheaper than Vigil -> FAIL
        "jdbc.pointSelect": {"bare": BARE, "vigil": JDBC_VIGIL},
        "jetty.local": {"bare": JETTY_BARE, "vigil": JETTY_VIGIL,
                        "springObservation": shifted(spread(3000.0, 100.0), JETTY_BARE),
                        "timedHandler": shifted(spread(200.0, 100.0), JETTY_BARE),  # straddles Vigil: UNRESOLVED
                        # the A/A control: a second bare server, 0 ± 30 ns -> no bias, the verdict stands
                        "bareControl": shifted(jetty_control, JETTY_BARE)},
        # +1,000 ns over a 70 µs Redis request = 1.4 % -> FAIL
        "redis.lettuceGet": {"bare": BARE, "vigil": shifted(spread(1000.0, 10.0))},
    }
    return {"schema": 1, "started": "2026-12-02T15:00:00Z", "elapsed_s": 321.0, "rounds": rounds, "workloads": {
        key: {"title": f"title of {key}", "calls_per_round": 100000,
              "variants": {name: values[:rounds] for name, values in variants.items()}}
        for key, variants in workloads.items() if key not in drop}}


class ReportTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="report-test-")
        paths = {}
        for name, content in (("jmh.json", json.dumps(FIXTURE_JMH)), ("cpu.json", json.dumps(FIXTURE_CPU)),
                              ("inmem.json", json.dumps(inmem_run())),
                              ("inmem-smoke.json", json.dumps(inmem_run(rounds=7))),
                              ("inmem-biased.json", json.dumps(inmem_run(jetty_control=spread(400.0, 20.0)))),
                              ("memory.txt", "retained_bytes=1572864\nmeters=120\n"),
                              ("tick.txt", "reference: retained_bytes=1\ntick_cpu_ms_median=80.0\n"
                                           "tick_cpu_ms_p90=95.5\n")):
            paths[name] = os.path.join(cls.dir, name)
            with open(paths[name], "w") as f:
                f.write(content)
        cls.paths = paths
        cls.results = cls.report(tick=paths["tick.txt"])
        cls.verdicts = cls.budget(cls.results)
        cls.inmem_results = cls.report(tick=paths["tick.txt"], inmem=paths["inmem.json"])
        cls.inmem_verdicts = cls.budget(cls.inmem_results)

    @classmethod
    def report(cls, tick=None, cpu=True, inmem=None):
        args = [sys.executable, REPORT, "--jmh", cls.paths["jmh.json"], "--memory", cls.paths["memory.txt"],
                "--profile", "quick", "--command", "benchmarks/run.sh quick", "--started", "2026-12-02T07:00Z",
                "--java", "openjdk 17", "--cpu", "test × 2", "--load-start", "1.00 1.00 1.00",
                "--load-end", "2.00 2.00 2.00"]
        if cpu:
            args += ["--cpu-json", cls.paths["cpu.json"]]
        if tick:
            args += ["--tick", tick]
        if inmem:
            args += ["--inmem-json", inmem]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    @staticmethod
    def budget(markdown):
        """check text -> verdict, from the Budget table."""
        rows = {}
        for line in markdown.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and cells[0] in ("PASS", "FAIL", "UNRESOLVED"):
                rows[cells[1]] = cells[0]
        return rows

    def verdict(self, fragment, verdicts=None):
        verdicts = self.verdicts if verdicts is None else verdicts
        matches = [v for check, v in verdicts.items() if fragment in check]
        self.assertEqual(len(matches), 1, f"one check containing {fragment!r} in {list(verdicts)}")
        return matches[0]

    def row(self, fragment, markdown):
        matches = [line for line in markdown.splitlines() if line.startswith("| ") and fragment in line]
        self.assertEqual(len(matches), 1, f"one row containing {fragment!r}")
        return matches[0]

    def test_pass_when_the_whole_interval_is_within_the_budget(self):
        self.assertEqual(self.verdict("`ServletFilterBenchmark.sync`: Vigil's time"), "PASS")
        self.assertEqual(self.verdict("`ServletFilterBenchmark.sync`: Vigil's allocation"), "PASS")
        self.assertEqual(self.verdict("`ServletFilterBenchmark.sync`: Vigil below `springObservation`"), "PASS")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil's time"), "PASS")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil's allocation"), "PASS")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil below `p6spy`"), "PASS")
        self.assertEqual(self.verdict("`JettyLocalConnectorBenchmark.hello`: Vigil below `timedHandler`"), "PASS")
        self.assertEqual(self.verdict("retained heap"), "PASS")

    def test_fail_when_the_whole_interval_is_over_the_budget(self):
        self.assertEqual(self.verdict("`ServletFilterBenchmark.normalizedPath`: Vigil's time"), "FAIL")
        self.assertEqual(self.verdict("`ServletFilterBenchmark.normalizedPath`: Vigil's allocation"), "FAIL")
        self.assertEqual(self.verdict("alert evaluation tick"), "FAIL")

    def test_unresolved_when_the_interval_straddles_the_budget(self):
        self.assertEqual(self.verdict(f"`OperationsBenchmark.scoped{OPS_LABEL}`: Vigil's time"), "UNRESOLVED")
        self.assertEqual(self.verdict("`ServletFilterBenchmark.normalizedPath`: Vigil below"), "UNRESOLVED")
        # One iteration: JMH states no error, so nothing is resolved.
        self.assertEqual(self.verdict(f"`OperationsBenchmark.runnable{OPS_LABEL}`: Vigil's time"), "UNRESOLVED")
        self.assertIn("| UNRESOLVED |", self.results)

    def test_server_cpu_comparisons_are_a_cross_check_without_verdict(self):
        for verdicts in (self.verdicts, self.inmem_verdicts):
            self.assertFalse([c for c in verdicts if c.startswith("server CPU per request")])
        section = self.inmem_results.split("## Server CPU per request")[1].split("\n## ")[0]
        # Jetty: Vigil +0.3 % [IQR 0.27, 0.33] widened by the A/A resolution 0.1 % -> [+0.17 %, +0.43 %]
        self.assertIn("| Jetty hello | Vigil vs bare | +0.30 % [+0.17 %, +0.43 %] | ±0.10 % | 8 |", section)
        self.assertIn("| Jetty hello | Vigil vs `springObservation` |", section)
        self.assertIn("| PostgreSQL point select | Vigil vs bare | +5.00 %", section)
        self.assertIn("no verdict", section)
        # "How to read" prints the method's A/A resolution, from the data, and why it cannot judge 1 %.
        how = self.inmem_results.split("## How to read the verdicts")[1].split("\n## ")[0]
        self.assertIn("±0.10 % (Jetty hello), ±0.10 % (PostgreSQL point select), ±4.00 % (Redis GET (Lettuce))",
                      how)
        self.assertIn("cross-check without verdict", how.replace("\n", " ").replace("  ", " "))

    def test_fewer_than_eight_server_cpu_rounds_resolve_no_share(self):
        smoke = dict(FIXTURE_CPU, rounds=2, targets={
            "postgres": cpu_target([90000.0] * 2, [0.001, -0.001], [0.05, 0.06])})
        path = os.path.join(self.dir, "cpu-smoke.json")
        with open(path, "w") as f:
            json.dump(smoke, f)
        saved = self.paths["cpu.json"]
        self.paths["cpu.json"] = path
        try:
            results = self.report(inmem=self.paths["inmem.json"])
        finally:
            self.paths["cpu.json"] = saved
        self.assertEqual(self.verdict("share of a request, PostgreSQL", self.budget(results)), "UNRESOLVED")
        self.assertIn("fewer than 8 server-CPU rounds", results)

    def test_share_of_a_request_falls_back_to_jmh_without_in_memory_figures(self):
        # (200 ± 50 ns) / 50 µs = 0.4 % [0.3 %, 0.5 %] -> PASS
        self.assertEqual(self.verdict("share of a request, Jetty hello"), "PASS")
        self.assertIn("JMH `JettyLocalConnectorBenchmark.hello`: +200 ns [150, 250] / 50,000 ns [50,000, 50,000] "
                      "= 0.40 % [0.30 %, 0.50 %]", self.results)
        # PostgreSQL needs the point select with its connection borrow, which only the in-memory harness runs;
        # Redis has no JMH counterpart either -> UNRESOLVED
        self.assertEqual(self.verdict("share of a request, PostgreSQL point select"), "UNRESOLVED")
        self.assertEqual(self.verdict("share of a request, Redis GET"), "UNRESOLVED")

    def test_share_of_a_request_divides_the_in_memory_cost_by_the_bare_server_cpu(self):
        v = self.inmem_verdicts
        # Jetty: +200 ns [190, 210] (180..220 in steps of 2: x_(6), x_(16)), widened by the A/A control's ±15 ns,
        # / 50 µs -> 0.40 % [0.35 %, 0.45 %]
        self.assertEqual(self.verdict("share of a request, Jetty hello", v), "PASS")
        self.assertIn("thread CPU `jetty.local`, 21 rounds: +200 ns [190, 210] / 50,000 ns [50,000, 50,000] = "
                      "0.40 % [0.35 %, 0.45 %]", self.inmem_results)
        # PostgreSQL: connection borrow + statement cycle: +111 ns [106, 116] / 90 µs = 0.12 % -> PASS
        self.assertEqual(self.verdict("share of a request, PostgreSQL point select", v), "PASS")
        self.assertIn("thread CPU `jdbc.pointSelect`, 21 rounds: +111 ns [106, 116] / 90,000 ns", self.inmem_results)
        # Redis: +1,000 ns / 70 µs = 1.43 % -> FAIL
        self.assertEqual(self.verdict("share of a request, Redis GET", v), "FAIL")
        self.assertIn("= 1.43 % [1.42 %, 1.44 %]", self.inmem_results)

    def test_the_a_a_control_widens_the_share_interval(self):
        # The control is 0 ± 30 ns ([-15, 15]): Vigil's +200 ns [190, 210] is taken as [175, 225]; still PASS.
        self.assertIn("+200 ns [190, 210] / 50,000 ns [50,000, 50,000] = 0.40 % [0.35 %, 0.45 %]; A/A control (a "
                      "second bare server): +0 ns [-15, 15], so the numerator is taken as [175, 225] ns",
                      self.row("share of a request, Jetty hello", self.inmem_results))
        self.assertNotIn("Vigil below `bareControl`", self.inmem_results)
        # Two identical servers 400 ns apart ([390, 410]): +200 ns becomes [-220, 620] ns, 0 % to 1.24 % of a
        # 50 µs request, which straddles 1 %.
        results = self.report(tick=self.paths["tick.txt"], inmem=self.paths["inmem-biased.json"])
        self.assertEqual(self.verdict("share of a request, Jetty hello", self.budget(results)), "UNRESOLVED")
        self.assertIn("so the numerator is taken as [-220, 620] ns", self.row("share of a request, Jetty hello",
                                                                             results))
        self.assertEqual(self.verdict("share of a request, PostgreSQL point select", self.budget(results)), "PASS")

    def test_in_memory_figures_judge_the_time_verdicts(self):
        v = self.inmem_verdicts
        # JMH alone: sync PASS, normalizedPath FAIL; thread CPU reverses both: it is the judge when measured.
        self.assertEqual(self.verdict("`ServletFilterBenchmark.sync`: Vigil's time", v), "FAIL")
        self.assertEqual(self.verdict("`ServletFilterBenchmark.normalizedPath`: Vigil's time", v), "PASS")
        self.assertEqual(self.verdict(f"`OperationsBenchmark.scoped{OPS_LABEL}`: Vigil's time", v), "UNRESOLVED")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil's time", v), "PASS")
        # The line says which measurement judged it, and quotes JMH's wall time beside it.
        self.assertIn("| `JdbcStubBenchmark.statementCycle`: Vigil's time over bare | thread CPU, 21 rounds: "
                      "+111.0 ns [106.0, 116.0]; JMH wall +120 ns ± 5 | ≤ 150 ns |", self.inmem_results)
        # Not measured in memory: JMH judges as before (one iteration, no error -> UNRESOLVED).
        self.assertEqual(self.verdict(f"`OperationsBenchmark.runnable{OPS_LABEL}`: Vigil's time", v), "UNRESOLVED")
        self.assertNotIn("thread CPU", self.row(f"`OperationsBenchmark.runnable{OPS_LABEL}`: Vigil's time",
                                                self.inmem_results))
        # Allocation stays on JMH's gc.alloc.rate.norm.
        self.assertEqual(self.verdict("`ServletFilterBenchmark.normalizedPath`: Vigil's allocation", v), "FAIL")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil's allocation", v), "PASS")

    def test_vigil_below_a_peer_is_judged_on_thread_cpu_when_measured(self):
        v = self.inmem_verdicts
        self.assertEqual(self.verdict("`ServletFilterBenchmark.sync`: Vigil below `springObservation`", v), "PASS")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil below `p6spy`", v), "PASS")
        # A peer measured only in memory still gets its line; this one is cheaper than Vigil.
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil below `otelJdbc`", v), "FAIL")
        self.assertEqual(self.verdict("`JettyLocalConnectorBenchmark.hello`: Vigil below `springObservation`", v),
                         "PASS")
        # JMH alone said PASS for timedHandler; the in-memory interval straddles 0 -> UNRESOLVED.
        self.assertEqual(self.verdict("`JettyLocalConnectorBenchmark.hello`: Vigil below `timedHandler`", v),
                         "UNRESOLVED")
        self.assertIn("thread CPU, 21 rounds: ", self.row("Vigil below `timedHandler`", self.inmem_results))

    def test_fewer_than_eight_in_memory_rounds_resolve_nothing(self):
        results = self.report(inmem=self.paths["inmem-smoke.json"])
        v = self.budget(results)
        for fragment in ("`ServletFilterBenchmark.sync`: Vigil's time", "`ServletFilterBenchmark.normalizedPath`: "
                         "Vigil's time", "`JdbcStubBenchmark.statementCycle`: Vigil's time",
                         "`JdbcStubBenchmark.statementCycle`: Vigil below `p6spy`", "share of a request, Jetty hello",
                         "share of a request, Redis GET"):
            self.assertEqual(self.verdict(fragment, v), "UNRESOLVED", fragment)
        self.assertIn("thread CPU, 7 rounds:", results)
        self.assertIn("smoke run", self.row("`JdbcStubBenchmark.statementCycle`: Vigil's time", results))

    def test_absent_in_memory_workloads_fall_back_to_jmh_or_stay_unresolved(self):
        path = os.path.join(self.dir, "inmem-partial.json")
        with open(path, "w") as f:
            json.dump(inmem_run(drop=("filter.sync", "redis.lettuceGet")), f)
        results = self.report(inmem=path)
        v = self.budget(results)
        self.assertEqual(self.verdict("`ServletFilterBenchmark.sync`: Vigil's time", v), "PASS")  # JMH's +100 ns
        self.assertNotIn("thread CPU", self.row("`ServletFilterBenchmark.sync`: Vigil's time", results))
        self.assertEqual(self.verdict("share of a request, Redis GET", v), "UNRESOLVED")
        self.assertIn("not measured in this run", self.row("share of a request, Redis GET", results))
        # A missing file is nothing measured, not an error.
        absent = self.report(tick=self.paths["tick.txt"], inmem=os.path.join(self.dir, "absent.json"))
        self.assertEqual(self.budget(absent), self.verdicts)

    def test_in_memory_figures_judge_without_jmh_and_allocation_stays_unresolved(self):
        saved = self.paths["jmh.json"]
        self.paths["jmh.json"] = os.path.join(self.dir, "no-jmh.json")
        try:
            results = self.report(inmem=self.paths["inmem.json"])
        finally:
            self.paths["jmh.json"] = saved
        v = self.budget(results)
        self.assertEqual(self.verdict(f"`OperationsBenchmark.scoped{OPS_LABEL}`: Vigil's time", v), "UNRESOLVED")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil's time", v), "PASS")
        self.assertEqual(self.verdict("`JdbcStubBenchmark.statementCycle`: Vigil's allocation", v), "UNRESOLVED")
        self.assertIn("not measured in this run (JMH `-prof gc` judges allocation)",
                      self.row("`JdbcStubBenchmark.statementCycle`: Vigil's allocation", results))
        self.assertNotIn("JMH wall", self.row("`JdbcStubBenchmark.statementCycle`: Vigil's time", results))
        self.assertEqual(self.verdict("`JettyLocalConnectorBenchmark.hello`: Vigil below `springObservation`", v),
                         "PASS")
        self.assertEqual(self.verdict("`OperationsBenchmark.runnable`", v), "UNRESOLVED")  # measured by neither

    def test_in_memory_section_lists_every_workload_and_variant(self):
        section = self.inmem_results.split("## In-memory CPU per call")[1].split("\n## ")[0]
        for key, variants in inmem_run()["workloads"].items():
            for name in variants["variants"]:
                self.assertIn(f"| `{key}` (title of {key}) | {name} |", section)
        self.assertIn("| `jdbc.statementCycle` (title of jdbc.statementCycle) | vigil | 123.0 "
                      "| +111.0 ns [106.0, 116.0] | 21 | 100,000 |", section)
        self.assertIn("Not measured in this run.", self.results.split("## In-memory CPU per call")[1].split("\n## ")[0])

    def test_io_latency_benchmarks_get_no_verdict(self):
        self.assertFalse([c for c in self.verdicts if "JettyEndToEndBenchmark" in c])
        self.assertIn("(I/O latency: no verdict)", self.results)

    def test_missing_measurements_are_unresolved_not_passed(self):
        results = self.budget(self.report(tick=None, cpu=False))
        self.assertEqual(results["alert evaluation tick, CPU"], "UNRESOLVED")
        self.assertEqual([v for c, v in results.items() if "share of a request" in c], ["UNRESOLVED"] * 3)

    def test_header_states_date_load_command_jdk_and_cpu(self):
        for text in ("started 2026-12-02T07:00Z", "at start: 1.00 1.00 1.00; at end: 2.00 2.00 2.00",
                     "`benchmarks/run.sh quick`", "JDK: openjdk 17", "CPU: test × 2"):
            self.assertIn(text, self.results)


class MedianIntervalTest(unittest.TestCase):
    """The order-statistics interval of the median, against binomial tables."""

    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, BENCHMARKS)
        import report
        cls.median_ci = staticmethod(report.median_ci)

    def test_ranks_of_the_interval(self):
        # n = 21: P(B < 6) = 1.33 % <= 2.5 % < P(B < 7) = 3.92 % -> [x_(6), x_(16)]
        self.assertEqual(self.median_ci(list(range(21, 0, -1))), (11, 6, 16))
        # n = 9: P(B < 2) = 1.95 % -> [x_(2), x_(8)]; n = 8: P(B < 2) = 3.5 % -> [x_(1), x_(8)]
        self.assertEqual(self.median_ci(list(range(1, 10))), (5, 2, 8))
        self.assertEqual(self.median_ci(list(range(1, 9))), (4.5, 1, 8))
        # n = 20: P(B < 6) = 2.07 % -> [x_(6), x_(15)]
        self.assertEqual(self.median_ci(list(range(1, 21)))[1:], (6, 15))

    def test_too_few_values_give_no_interval(self):
        med, lo, hi = self.median_ci([3.0, 1.0, 2.0, 5.0, 4.0])  # P(B < 1) = 3.1 % > 2.5 %
        self.assertEqual(med, 3.0)
        self.assertTrue(lo != lo and hi != hi, "NaN bounds")


class ReadmeTableTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="readme-test-")
        self.results = os.path.join(self.dir, "RESULTS.md")
        with open(self.results, "w") as f:
            if not hasattr(ReportTest, "results"):
                ReportTest.setUpClass()
            f.write(ReportTest.results)
        self.readme = os.path.join(self.dir, "README.md")
        with open(self.readme, "w") as f:
            f.write("# Title\n\n<!-- performance-table:begin -->\nold\n<!-- performance-table:end -->\n\nrest\n")

    def run_table(self, *extra):
        return subprocess.run([sys.executable, README_TABLE, "--results", self.results, "--readme", self.readme,
                               *extra], capture_output=True, text=True)

    def test_writes_only_resolved_verdicts_and_then_checks_clean(self):
        self.assertEqual(self.run_table("--check").returncode, 1, "a stale block must fail the check")
        self.assertEqual(self.run_table().returncode, 0)
        with open(self.readme) as f:
            text = f.read()
        self.assertIn("| PASS |", text)
        self.assertIn("| FAIL |", text)
        self.assertNotIn("| UNRESOLVED |", text)
        self.assertTrue(text.endswith("rest\n"))
        self.assertEqual(self.run_table("--check").returncode, 0)

    def test_quotes_thread_cpu_and_share_lines_and_says_what_they_measure(self):
        with open(self.results, "w") as f:
            f.write(ReportTest.inmem_results)
        self.assertEqual(self.run_table().returncode, 0)
        with open(self.readme) as f:
            text = f.read()
        self.assertIn("| PASS | `JdbcStubBenchmark.statementCycle`: Vigil's time over bare | thread CPU, 21 rounds: "
                      "+111.0 ns [106.0, 116.0]; JMH wall +120 ns ± 5 | ≤ 150 ns |", text)
        self.assertIn("| FAIL | Vigil's share of a request, Redis GET (Lettuce):", text)
        self.assertIn("A figure marked *thread CPU* is the calling thread's CPU time per call", text)
        self.assertNotIn("server CPU per request, ", text)  # the cross-check is not a budget line
        self.assertEqual(self.run_table("--check").returncode, 0)

    def test_no_thread_cpu_note_without_thread_cpu_lines(self):
        self.run_table()
        with open(self.readme) as f:
            self.assertNotIn("thread CPU", f.read())

    def test_check_fails_when_the_readme_quotes_a_figure_results_does_not_hold(self):
        self.run_table()
        with open(self.readme) as f:
            text = f.read()
        with open(self.readme, "w") as f:
            f.write(text.replace("+100.0 ns", "+99.0 ns"))
        check = self.run_table("--check")
        self.assertEqual(check.returncode, 1)
        self.assertIn("+99.0 ns", check.stdout + check.stderr)


if __name__ == "__main__":
    unittest.main()
