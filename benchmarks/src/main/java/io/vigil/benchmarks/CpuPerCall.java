package io.vigil.benchmarks;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.app.ActiveUsers;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.clock.CoarseClock;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The in-process workloads of {@link ServletFilterBenchmark} and {@link OperationsBenchmark}, and the Micrometer
 * and clock building blocks they are made of, measured as the calling thread's CPU time per call rather than wall
 * time: on a loaded machine a thread descheduled mid-iteration inflates JMH's average by microseconds, CPU time
 * does not count it. Bare, Vigil on Micrometer's default {@code Clock.SYSTEM} and Vigil on {@link CoarseClock} (the
 * recommended setup) run in an order rotated every round; printed: each Vigil variant's median per-round overhead
 * over bare, the median per-round saving of the coarse clock, each with its interquartile range; then the building
 * blocks on both clocks and the CPU the {@link CoarseClock} refresher thread takes. Not a replacement for JMH on a quiet machine (no forks, no
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
        filter.clock = Clock.SYSTEM;
        filter.setUp();
        ServletFilterBenchmark coarseFilter = new ServletFilterBenchmark();
        coarseFilter.clock = CoarseClock.shared();
        coarseFilter.setUp();
        trio("filter sync", filter::sync_bare, filter::sync_vigil, coarseFilter::sync_vigil, rounds);
        trio("filter normalizedPath", filter::normalizedPath_bare, filter::normalizedPath_vigil,
                coarseFilter::normalizedPath_vigil, rounds);
        for (String histogram : new String[] {"compact", "percentile", "none"}) {
            OperationsBenchmark operations = new OperationsBenchmark();
            operations.histogram = histogram;
            operations.clock = Clock.SYSTEM;
            operations.setUp();
            OperationsBenchmark coarse = new OperationsBenchmark();
            coarse.histogram = histogram;
            coarse.clock = CoarseClock.shared();
            coarse.setUp();
            trio("operations scoped [" + histogram + "]", operations::scoped_bare, operations::scoped_vigil,
                    coarse::scoped_vigil, rounds);
            trio("operations runnable [" + histogram + "]", operations::runnable_bare, operations::runnable_vigil,
                    coarse::runnable_vigil, rounds);
            operations.tearDown();
            coarse.tearDown();
        }
        StubDataSource stub = new StubDataSource();
        try (Connection bare = stub.getConnection();
                JdbcVariant system = JdbcVariant.vigil(stub, Clock.SYSTEM);
                JdbcVariant coarse = JdbcVariant.vigil(stub, CoarseClock.shared());
                Connection systemConnection = system.dataSource().getConnection();
                Connection coarseConnection = coarse.dataSource().getConnection()) {
            AccountCursor cursor = new AccountCursor();
            trio("jdbc stub statementCycle", () -> JdbcStubBenchmark.statementCycle(bare, cursor.nextAccount()),
                    () -> JdbcStubBenchmark.statementCycle(systemConnection, cursor.nextAccount()),
                    () -> JdbcStubBenchmark.statementCycle(coarseConnection, cursor.nextAccount()), rounds);
            system.verifyRecorded();
            coarse.verifyRecorded();
        }

        long now = System.nanoTime();
        single("System.nanoTime()", System::nanoTime);
        single("System.currentTimeMillis()", System::currentTimeMillis);
        single("CoarseClock.wallTime()", CoarseClock.shared()::wallTime);
        for (Clock clock : new Clock[] {Clock.SYSTEM, CoarseClock.shared()}) {
            String suffix = clock == Clock.SYSTEM ? " [system clock]" : " [coarse clock]";
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                    new PrometheusRegistry(), clock);
            Timer compact = Timer.builder("compact").serviceLevelObjectives(
                    MetricCatalog.LATENCY_BUCKETS.toArray(new Duration[0])).register(registry);
            Timer plain = Timer.builder("plain").register(registry);
            DistributionSummary summary = DistributionSummary.builder("size").register(registry);
            single("timer record, compact histogram" + suffix, () -> {
                compact.record(1_000, TimeUnit.NANOSECONDS);
                return 1;
            });
            single("timer record, no histogram" + suffix, () -> {
                plain.record(1_000, TimeUnit.NANOSECONDS);
                return 1;
            });
            single("summary record" + suffix, () -> {
                summary.record(5);
                return 1;
            });
        }
        ActiveUsers users = ActiveUsers.register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        single("active users seen", () -> {
            users.seen("user-4711", now);
            return 1;
        });
        refresherCost();
    }

    /** The CPU the {@link CoarseClock}'s refresher thread spends per second of wall time while the clock is read. */
    private static void refresherCost() throws InterruptedException {
        CoarseClock.shared().wallTime();
        long id = -1;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("vigil-coarse-clock")) {
                id = thread.getId();
            }
        }
        if (id < 0) {
            System.out.println("CoarseClock refresher: not running");
            return;
        }
        long cpu = THREADS.getThreadCpuTime(id);
        long wall = System.nanoTime();
        long deadline = wall + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            sink += CoarseClock.shared().wallTime();
            Thread.sleep(1);
        }
        cpu = THREADS.getThreadCpuTime(id) - cpu;
        wall = System.nanoTime() - wall;
        System.out.printf("CoarseClock refresher thread: %.1f µs CPU per second (%.3f %% of a core), "
                + "%.1f µs per tick of %d ms%n", cpu / (wall / 1e9) / 1e3, 100.0 * cpu / wall,
                cpu / (wall / 1e6 / CoarseClock.PERIOD_MILLIS) / 1e3, CoarseClock.PERIOD_MILLIS);
    }

    /**
     * Bare, Vigil on Micrometer's default clock and Vigil on {@link CoarseClock}, in a rotated order every round;
     * printed: each Vigil variant's median overhead over bare and the median per-round difference between them.
     */
    private static void trio(String name, Call bare, Call system, Call coarse, int rounds) throws Exception {
        Call[] calls = {bare, system, coarse};
        for (int i = 0; i < 5; i++) {
            for (Call call : calls) {
                perCall(call);
            }
        }
        double[] systemOverhead = new double[rounds];
        double[] coarseOverhead = new double[rounds];
        double[] saved = new double[rounds];
        double[] bareNs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] ns = new double[3];
            for (int k = 0; k < 3; k++) {
                int which = (r + k) % 3;
                ns[which] = perCall(calls[which]);
            }
            bareNs[r] = ns[0];
            systemOverhead[r] = ns[1] - ns[0];
            coarseOverhead[r] = ns[2] - ns[0];
            saved[r] = ns[1] - ns[2];
        }
        Arrays.sort(bareNs);
        Arrays.sort(systemOverhead);
        Arrays.sort(coarseOverhead);
        Arrays.sort(saved);
        System.out.printf("%-36s bare %7.1f  overhead: system clock %6.1f [%.1f, %.1f]  coarse clock %6.1f "
                + "[%.1f, %.1f]  saved %6.1f [%.1f, %.1f] ns/call%n", name, bareNs[rounds / 2],
                systemOverhead[rounds / 2], systemOverhead[rounds / 4], systemOverhead[3 * rounds / 4],
                coarseOverhead[rounds / 2], coarseOverhead[rounds / 4], coarseOverhead[3 * rounds / 4],
                saved[rounds / 2], saved[rounds / 4], saved[3 * rounds / 4]);
    }

    static double perCall(Call call) throws Exception {
        long sum = 0;
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS; i++) {
            sum += call.run();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - start;
        sink = sum;
        return cpu / (double) CALLS;
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
