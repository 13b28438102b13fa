package io.vigil.benchmarks;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark once, briefly and in-process, so that a broken benchmark fails the build.
 * Timings are never asserted here: they live in RESULTS.md, produced by {@code benchmarks/run.sh}.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRuns() throws Exception {
        // A real benchmark run elsewhere on the machine holds JMH's lock; a smoke pass need not wait for it.
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io\\.vigil\\.benchmarks\\..*Benchmark\\..*")
                .forks(0)
                .threads(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build()).run();

        assertThat(results).isNotEmpty();
        assertThat(results).allSatisfy(result ->
                assertThat(result.getPrimaryResult().getScore()).as(result.getParams().getBenchmark()).isPositive());
    }
}
