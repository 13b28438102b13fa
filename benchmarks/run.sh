#!/usr/bin/env bash
# Builds the benchmarks, runs a profile and writes benchmarks/RESULTS.md.
#
#   benchmarks/run.sh quick      # ~15 min: 1 fork, each suite's own warmup/measurement (@Warmup/@Measurement)
#   benchmarks/run.sh full       # stable numbers: 3 forks, 8×2 s warmup, 10×2 s measurement (~2.5 h on 2 cores)
#   benchmarks/run.sh quick 'Jdbc.*'   # only the matching benchmarks
#
# Nothing else should run on the machine meanwhile. Timings are never asserted by `mvn verify`: this script
# checks the budget and prints PASS/FAIL per line.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-quick}"
filter="${2:-.*}"
case "$profile" in
  quick) jmh_opts=(-f 1) ;;
  full)  jmh_opts=(-f 3 -wi 8 -w 2s -i 10 -r 2s) ;;
  *) echo "usage: $0 quick|full [regex]" >&2; exit 2 ;;
esac

mvn -B -q -DskipTests -pl benchmarks -am package
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
mkdir -p "$out"

started=$(date -u +%Y-%m-%dT%H:%MZ)
java -jar "$jar" "${jmh_opts[@]}" -prof gc -rf json -rff "$out/jmh.json" "$filter" | tee "$out/jmh.log"

# Retained heap at the reference load, in a fresh JVM.
java -cp "$jar" io.vigil.benchmarks.MemoryFootprint | tee "$out/memory.txt"

python3 benchmarks/report.py \
  --jmh "$out/jmh.json" --memory "$out/memory.txt" \
  --profile "$profile" --command "benchmarks/run.sh $profile '$filter'" --started "$started" \
  --java "$(java -version 2>&1 | head -1)" \
  --cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) × $(nproc)" \
  > benchmarks/RESULTS.md
echo "wrote benchmarks/RESULTS.md"
grep -E '^\| (PASS|FAIL)' benchmarks/RESULTS.md || true
