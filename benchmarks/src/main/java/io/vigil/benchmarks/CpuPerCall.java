package io.vigil.benchmarks;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.app.ActiveUsers;
import io.vigil.core.catalog.MetricCatalog;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The in-process workloads of {@link ServletFilterBenchmark} and {@link OperationsBenchmark}, and the Micrometer
 * and clock building blocks they are made of, measured as the calling thread's CPU time per call rather than wall
 * time: on a loaded machine a thread descheduled mid-iteration inflates JMH's average by microseconds, CPU time
 * does not count it. Bare and Vigil alternate (order swapped every round); printed: the median of the per-round
 * differences and their interquartile range. Not a replacement for JMH on a quiet machine (no forks, no
 * blackhole: the results are summed into a volatile), a way to resolve tens of nanoseconds on a busy one.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.CpuPerCall [rounds]}
 */
public final class CpuPerCall {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CALLS = 200_000;
    private static volatile long sink;

    private CpuPerCall() {
    }

    @FunctionalInterface
    interface Call {
        long run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ServletFilterBenchmark filter = new ServletFilterBenchmark();
        filter.setUp();
        pair("filter sync", filter::sync_bare, filter::sync_vigil, rounds);
        pair("filter normalizedPath", filter::normalizedPath_bare, filter::normalizedPath_vigil, rounds);
        for (String histogram : new String[] {"compact", "percentile", "none"}) {
            OperationsBenchmark operations = new OperationsBenchmark();
            operations.histogram = histogram;
            operations.setUp();
            pair("operations scoped [" + histogram + "]", operations::scoped_bare, operations::scoped_vigil, rounds);
            pair("operations runnable [" + histogram + "]", operations::runnable_bare, operations::runnable_vigil,
                    rounds);
            operations.tearDown();
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer compact = Timer.builder("compact").serviceLevelObjectives(
                MetricCatalog.LATENCY_BUCKETS.toArray(new Duration[0])).register(registry);
        Timer plain = Timer.builder("plain").register(registry);
        DistributionSummary summary = DistributionSummary.builder("size").register(registry);
        ActiveUsers users = ActiveUsers.register(registry);
        long now = System.nanoTime();
        single("System.nanoTime()", System::nanoTime);
        single("System.currentTimeMillis()", System::currentTimeMillis);
        single("timer record, compact histogram", () -> {
            compact.record(1_000, TimeUnit.NANOSECONDS);
            return 1;
        });
        single("timer record, no histogram", () -> {
            plain.record(1_000, TimeUnit.NANOSECONDS);
            return 1;
        });
        single("summary record", () -> {
            summary.record(5);
            return 1;
        });
        single("active users seen", () -> {
            users.seen("user-4711", now);
            return 1;
        });
    }

    private static double perCall(Call call) throws Exception {
        long sum = 0;
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS; i++) {
            sum += call.run();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - start;
        sink = sum;
        return cpu / (double) CALLS;
    }

    private static void pair(String name, Call bare, Call vigil, int rounds) throws Exception {
        for (int i = 0; i < 5; i++) {
            perCall(bare);
            perCall(vigil);
        }
        double[] bareNs = new double[rounds];
        double[] vigilNs = new double[rounds];
        double[] overhead = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                bareNs[r] = perCall(bare);
                vigilNs[r] = perCall(vigil);
            } else {
                vigilNs[r] = perCall(vigil);
                bareNs[r] = perCall(bare);
            }
            overhead[r] = vigilNs[r] - bareNs[r];
        }
        Arrays.sort(bareNs);
        Arrays.sort(vigilNs);
        Arrays.sort(overhead);
        System.out.printf("%-36s bare %7.1f  vigil %7.1f  overhead %7.1f ns/call  IQR [%.1f, %.1f]%n", name,
                bareNs[rounds / 2], vigilNs[rounds / 2], overhead[rounds / 2], overhead[rounds / 4],
                overhead[3 * rounds / 4]);
    }

    private static void single(String name, Call call) throws Exception {
        for (int i = 0; i < 5; i++) {
            perCall(call);
        }
        double[] ns = new double[11];
        for (int i = 0; i < ns.length; i++) {
            ns[i] = perCall(call);
        }
        Arrays.sort(ns);
        System.out.printf("%-36s %7.1f ns/call  IQR [%.1f, %.1f]%n", name, ns[5], ns[2], ns[8]);
    }
}
