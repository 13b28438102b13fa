package io.vigil.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler reporting {@code cpu.time.norm}: the benchmark JVM's CPU time (every thread: the benchmark's,
 * and the GC and compiler threads it keeps busy) per operation, per iteration. Use it with
 * {@code -prof io.vigil.benchmarks.CpuTimeProfiler}.
 *
 * <p>Why: on a shared, overloaded machine the benchmark thread is descheduled for most of the wall time, so the
 * primary {@code ns/op} (wall time) measures the machine's load more than the code; CPU time is charged only while
 * the work runs. For a CPU-bound benchmark (everything in memory, as {@link JettyLocalConnectorBenchmark} and
 * {@link ServletFilterBenchmark}) it is the code's cost, with its garbage collection included. It still includes
 * cache and frequency effects of the neighbours, so compare variants of one run.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long start;

    @Override
    public String getDescription() {
        return "JVM process CPU time per operation (cpu.time.norm)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - start;
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
