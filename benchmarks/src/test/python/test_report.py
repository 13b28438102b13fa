"""report.py and readme_table.py on synthetic JMH / cpu.json fixtures: every verdict (PASS, FAIL, UNRESOLVED)."""
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
    jmh("OperationsBenchmark", "scoped_bare", 10.0, 30.0, params={"async": "false"}),
    jmh("OperationsBenchmark", "scoped_vigil", 100.0, 40.0, params={"async": "false"}),
    # runnable: JMH stated no error (one iteration) -> UNRESOLVED
    jmh("OperationsBenchmark", "runnable_bare", 10.0, "NaN", params={"async": "false"}),
    jmh("OperationsBenchmark", "runnable_vigil", 20.0, "NaN", params={"async": "false"}),
    # statementCycle: +120 ns PASS, 128 B extra <= JDBC_STUB_ALLOC_BUDGET PASS, below p6spy PASS
    jmh("JdbcStubBenchmark", "statementCycle_bare", 50.0, 2.0, alloc=100.0),
    jmh("JdbcStubBenchmark", "statementCycle_vigil", 170.0, 5.0, alloc=228.0),
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


class ReportTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="report-test-")
        paths = {}
        for name, content in (("jmh.json", json.dumps(FIXTURE_JMH)), ("cpu.json", json.dumps(FIXTURE_CPU)),
                              ("memory.txt", "retained_bytes=1572864\nmeters=120\n"),
                              ("tick.txt", "reference: retained_bytes=1\ntick_cpu_ms_median=80.0\n"
                                           "tick_cpu_ms_p90=95.5\n")):
            paths[name] = os.path.join(cls.dir, name)
            with open(paths[name], "w") as f:
                f.write(content)
        cls.paths = paths
        cls.results = cls.report(tick=paths["tick.txt"])
        cls.verdicts = cls.budget(cls.results)

    @classmethod
    def report(cls, tick=None, cpu=True):
        args = [sys.executable, REPORT, "--jmh", cls.paths["jmh.json"], "--memory", cls.paths["memory.txt"],
                "--profile", "quick", "--command", "benchmarks/run.sh quick", "--started", "2026-12-02T07:00Z",
                "--java", "openjdk 17", "--cpu", "test × 2", "--load-start", "1.00 1.00 1.00",
                "--load-end", "2.00 2.00 2.00"]
        if cpu:
            args += ["--cpu-json", cls.paths["cpu.json"]]
        if tick:
            args += ["--tick", tick]
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

    def verdict(self, fragment):
        matches = [v for check, v in self.verdicts.items() if fragment in check]
        self.assertEqual(len(matches), 1, f"one check containing {fragment!r} in {list(self.verdicts)}")
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
        self.assertEqual(self.verdict("`OperationsBenchmark.scoped[async=false]`: Vigil's time"), "UNRESOLVED")
        self.assertEqual(self.verdict("`ServletFilterBenchmark.normalizedPath`: Vigil below"), "UNRESOLVED")
        # One iteration: JMH states no error, so nothing is resolved.
        self.assertEqual(self.verdict("`OperationsBenchmark.runnable[async=false]`: Vigil's time"), "UNRESOLVED")
        self.assertIn("| UNRESOLVED |", self.results)

    def test_server_cpu_verdicts_are_resolved_against_the_a_a_control(self):
        self.assertEqual(self.verdict("Jetty hello: Vigil's overhead"), "PASS")
        self.assertEqual(self.verdict("Jetty hello: Vigil below `springObservation`"), "PASS")
        self.assertEqual(self.verdict("PostgreSQL point select: Vigil's overhead"), "FAIL")
        self.assertEqual(self.verdict("Redis GET (Lettuce): Vigil's overhead"), "UNRESOLVED")

    def test_fewer_than_eight_rounds_resolve_nothing(self):
        smoke = dict(FIXTURE_CPU, rounds=2, targets={
            "postgres": cpu_target([90000.0] * 2, [0.001, -0.001], [0.05, 0.06])})
        path = os.path.join(self.dir, "cpu-smoke.json")
        with open(path, "w") as f:
            json.dump(smoke, f)
        saved = self.paths["cpu.json"]
        self.paths["cpu.json"] = path
        try:
            results = self.budget(self.report())
        finally:
            self.paths["cpu.json"] = saved
        self.assertEqual(results["server CPU per request, PostgreSQL point select: Vigil's overhead"], "UNRESOLVED")

    def test_share_of_a_request_divides_the_in_memory_cost_by_the_bare_server_cpu(self):
        # (200 ± 50 ns) / 50 µs = 0.4 % [0.3 %, 0.5 %] -> PASS
        self.assertEqual(self.verdict("Vigil's share of a Jetty request"), "PASS")
        self.assertIn("0.40 % [0.30 %, 0.50 %]", self.results)

    def test_io_latency_benchmarks_get_no_verdict(self):
        self.assertFalse([c for c in self.verdicts if "JettyEndToEndBenchmark" in c])
        self.assertIn("(I/O latency: no verdict)", self.results)

    def test_missing_measurements_are_unresolved_not_passed(self):
        results = self.budget(self.report(tick=None, cpu=False))
        self.assertEqual(results["alert evaluation tick, CPU"], "UNRESOLVED")
        self.assertEqual([v for c, v in results.items() if "Vigil's overhead" in c], ["UNRESOLVED"] * 3)
        self.assertEqual([v for c, v in results.items() if "share of a Jetty request" in c], ["UNRESOLVED"])

    def test_header_states_date_load_command_jdk_and_cpu(self):
        for text in ("started 2026-12-02T07:00Z", "at start: 1.00 1.00 1.00; at end: 2.00 2.00 2.00",
                     "`benchmarks/run.sh quick`", "JDK: openjdk 17", "CPU: test × 2"):
            self.assertIn(text, self.results)


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
