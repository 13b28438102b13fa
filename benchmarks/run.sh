#!/usr/bin/env bash
# Builds the benchmarks, runs a profile and writes benchmarks/RESULTS.md (PASS / FAIL / UNRESOLVED per budget line).
#
#   benchmarks/run.sh quick            # ~22 min on the 2-core VM: short JMH runs, 9 in-memory, 8 server-CPU rounds
#   benchmarks/run.sh full             # ≤ 60 min (estimate ~59 min, below): the profile to run before a release
#   benchmarks/run.sh quick 'Jdbc.*'   # only the matching JMH benchmarks (one JMH run with the verdict options)
#   CPU_TARGETS=jetty benchmarks/run.sh quick   # server-CPU harness targets (default jetty,postgres,redis; "" skips)
#
# Steps: (1) JMH on the suites that carry a verdict (in-process, stubs; Jetty's LocalConnector in a run of its own
# with a longer warm-up): allocation verdicts, and the time verdicts' fallback; (2) JMH on the rest (latency over
# real I/O, building blocks), each suite's own annotations, one fork; (3) the in-memory CPU harness
# (io.vigil.benchmarks.InMemoryCpuRun: thread CPU time per call, variants alternated, order rotated every
# round), which judges the in-process time budgets and gives the share lines their numerator; (4) the server-CPU
# harness (io.vigil.benchmarks.cpu.ServerCpuRun: bare / A-A / Vigil / peers, each server in its own JVM pinned
# with taskset, rounds rotated): the share lines' denominator and a cross-check; (5) retained heap
# (MemoryFootprint) and the alert tick (AlertStoreFootprint), each in a fresh JVM; (6) report.py.
#
# How the `full` estimate was made (2 cores, JDK 17; one JMH fork costs ~3 s of JVM start and setup here):
#   verdict suites: 29 in-process benchmarks (ServletFilter 11 with peers, Operations 12, JdbcStub 6)
#                   × 1 fork × (4×1 s + 6×1 s + 3 s)                                        ≈ 6.3 min
#                   (one fork: their time verdicts moved to InMemoryCpuRun, JMH judges B/op here, whose intervals
#                   were under 1 B wide with one fork in the last quick run; a 2nd fork: +6.3 min, over 60 min)
#                   + JettyLocalConnector 4 × 2 forks × (8×1 s + 6×1 s + 3 s): Jetty needs ~5 s to reach steady
#                   state (240 µs -> 8 µs per request over the first 5 s)                  ≈ 2.3 min
#   other suites:   Core 11 × 13 s, JdbcH2 18 × 20 s, JdbcPostgres 6 × 27 s (server start), JettyEndToEnd 2 × 23 s,
#                   Redis 10 × 19 s, AlertEngine 2 × 21 s                                     ≈ 16 min
#   in-memory CPU:  21 rounds of every workload after ≥ 8 s of warm-up each (InMemoryCpuRun: ~1.5 s per round
#                   for the slowest workloads)                                            ≈ 5 min
#   server CPU:     10 rounds × 5 s + 2 to 6 warm-up rounds × 6 s (more while the JIT compilers are busy) per
#                   server; 5 Jetty servers (bare, A/A, Vigil, 2 peers), 3 PostgreSQL, 3 Redis; + starts
#                   (its direct comparison is a cross-check now: 5 s rounds resolve the denominator, a
#                   bare server's CPU per request, to ~1 % IQR)                          ≈ 12 min (≤ 16 min)
#   build ~3 min, footprints ~2 min                                                      ≈ 47 min in all (≤ 52)
# Checked (before the in-memory step existed) against a real `quick` run here (filtered to the verdict suites,
# Jetty target, load average ~25 from other work): 32 JMH benchmarks took 8.9 min (~17 s each, 1 fork of 5 s:
# so ~12 s of fork overhead under that load, ~3 s on a quiet machine), the Jetty harness 2.4 min, the footprints
# 2 min, the whole run 16.8 min.
# The elapsed time of every step and of the whole run is printed and written into RESULTS.md.
#
# Nothing else should run on the machine meanwhile. Timings are never asserted by `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-quick}"
filter="${2:-}"
verdict_re='io\.vigil\.benchmarks\.(ServletFilterBenchmark|OperationsBenchmark|JdbcStubBenchmark)\.'
jetty_re='io\.vigil\.benchmarks\.JettyLocalConnectorBenchmark\.'
other_re='io\.vigil\.benchmarks\.(CoreBenchmark|RedisStubBenchmark|LettuceStubBenchmark|AlertEngineBenchmark|JdbcH2Benchmark|JdbcPostgresBenchmark|JettyEndToEndBenchmark|RedisLettuceBenchmark|RedisJedisBenchmark)\.'
case "$profile" in
  quick)
    verdict_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    jetty_opts=("${verdict_opts[@]}")
    other_opts=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
    inmem_rounds=9
    cpu_opts=(--rounds 8 --warmup 2 --max-warmup 5 --warmup-seconds 5 --seconds 2) ;;
  full)
    verdict_opts=(-f 1 -wi 4 -w 1s -i 6 -r 1s)
    jetty_opts=(-f 2 -wi 8 -w 1s -i 6 -r 1s)  # Jetty takes ~5 s to reach steady state
    other_opts=(-f 1)
    inmem_rounds=21
    cpu_opts=(--rounds 10 --warmup 2 --max-warmup 6 --warmup-seconds 6 --seconds 5) ;;
  *) echo "usage: $0 quick|full [regex]" >&2; exit 2 ;;
esac
cpu_targets="${CPU_TARGETS-jetty,postgres,redis}"

t0=$(date +%s)
step() { echo "== $1 ($(( $(date +%s) - t0 )) s elapsed)"; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)

step "build"
mvn -B -q ${MVN_FLAGS:-} -DskipTests -pl benchmarks -am package   # MVN_FLAGS=-o: offline
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
rm -rf "$out"
mkdir -p "$out"

jmh_files=()
if [[ -n "$filter" ]]; then
  step "JMH '$filter'"
  java -jar "$jar" "${verdict_opts[@]}" -prof gc -rf json -rff "$out/jmh.json" "$filter" | tee "$out/jmh.log"
  jmh_files+=(--jmh "$out/jmh.json")
else
  step "JMH, suites with a verdict"
  java -jar "$jar" "${verdict_opts[@]}" -prof gc -rf json -rff "$out/jmh-verdict.json" "$verdict_re" \
    | tee "$out/jmh-verdict.log"
  step "JMH, Jetty LocalConnector (longer warm-up in full)"
  java -jar "$jar" "${jetty_opts[@]}" -prof gc -rf json -rff "$out/jmh-jetty.json" "$jetty_re" \
    | tee "$out/jmh-jetty.log"
  step "JMH, other suites (no verdict or building blocks)"
  java -jar "$jar" "${other_opts[@]}" -prof gc -rf json -rff "$out/jmh-other.json" "$other_re" \
    | tee "$out/jmh-other.log"
  jmh_files+=(--jmh "$out/jmh-verdict.json" --jmh "$out/jmh-jetty.json" --jmh "$out/jmh-other.json")
fi

step "in-memory CPU per call ($inmem_rounds rounds; Jetty 6x, in 10 blocks)"
# A fixed heap, as services run in production (and as the alert tick below).
java -Xms1g -Xmx1g -cp "$jar" io.vigil.benchmarks.InMemoryCpuRun --rounds "$inmem_rounds" --out "$out/inmem.json" \
  | tee "$out/inmem.log"

cpu_args=()
if [[ -n "$cpu_targets" ]]; then
  step "server CPU per request ($cpu_targets)"
  # The harness pins its servers to CPU 0 and its load generator to CPU 1 itself (when taskset exists).
  java -cp "$jar" io.vigil.benchmarks.cpu.ServerCpuRun --targets "$cpu_targets" "${cpu_opts[@]}" \
    --out "$out/cpu.json" | tee "$out/cpu.log"
  cpu_args=(--cpu-json "$out/cpu.json")
fi

step "retained heap and alert tick"
java -cp "$jar" io.vigil.benchmarks.MemoryFootprint | tee "$out/memory.txt"
# Prints tick_cpu_ms_median= / tick_cpu_ms_p90= once the alert tick is measured there; absent keys are UNRESOLVED.
# A fixed heap, as services run in production: with a growing heap the tick thread's own CPU time includes the
# page faults of memory the JVM commits meanwhile (seen: p90 79 ms with the default heap, 24 ms with 1 GiB fixed,
# median 13-20 ms either way).
java -Xms1g -Xmx1g -cp "$jar" io.vigil.benchmarks.AlertStoreFootprint | tee "$out/tick.txt" || true

elapsed=$(( $(date +%s) - t0 ))
command="benchmarks/run.sh $profile${filter:+ '$filter'}"
[[ "$cpu_targets" != "jetty,postgres,redis" ]] && command="CPU_TARGETS='$cpu_targets' $command"
python3 benchmarks/report.py \
  "${jmh_files[@]}" --inmem-json "$out/inmem.json" "${cpu_args[@]}" --memory "$out/memory.txt" --tick "$out/tick.txt" \
  --profile "$profile" --command "$command" --started "$started" --finished "$(date -u +%Y-%m-%dT%H:%MZ)" \
  --elapsed "$(( elapsed / 60 )) min $(( elapsed % 60 )) s" \
  --load-start "$load_start" --load-end "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --java "$(java -version 2>&1 | head -1)" \
  --cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) × $(nproc)" \
  > benchmarks/RESULTS.md
python3 benchmarks/readme_table.py
echo "wrote benchmarks/RESULTS.md and README.md's performance table in $(( elapsed / 60 )) min $(( elapsed % 60 )) s"
grep -E '^\| (PASS|FAIL|UNRESOLVED) ' benchmarks/RESULTS.md || true
