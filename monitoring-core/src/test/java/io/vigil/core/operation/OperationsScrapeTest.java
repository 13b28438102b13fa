package io.vigil.core.operation;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exact series of {@code app.operation.*} in a real Prometheus scrape, durations from a fake clock. */
class OperationsScrapeTest {

    private static final String COUNT = "app_operation_duration_seconds_count";
    private static final String SUM = "app_operation_duration_seconds_sum";
    private static final String WAIT_COUNT = "app_operation_queue_wait_seconds_count";
    private static final String WAIT_SUM = "app_operation_queue_wait_seconds_sum";

    private final MockClock clock = new MockClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new PrometheusRegistry(), clock);
    private final Operations operations = Operations.register(registry);
    private ExecutorService executor;

    @AfterEach
    void shutDown() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.parse(registry.scrape());
    }

    @Test
    @SuppressWarnings("try")   // the scope is used for its close() alone
    void aScopeRecordsSuccessWithItsDurationWhenItCloses() {
        for (int i = 0; i < 3; i++) {
            try (Operation op = operations.start("payment.authorize")) {
                clock.add(5, TimeUnit.MILLISECONDS);
                assertThat(scrape().sum(COUNT)).isEqualTo(i);   // nothing until the scope closes
            }
        }

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "payment.authorize", "outcome", "success", "exception", "none"))
                .isEqualTo(3);
        assertThat(scrape.value(SUM, "operation", "payment.authorize")).isEqualTo(0.015);
        assertThat(scrape.series(COUNT)).hasSize(1);
        assertThat(scrape.has("app_operation_duration_seconds_bucket", "operation", "payment.authorize",
                "le", "+Inf")).isTrue();   // the catalog's latency buckets, as the HTTP timer
        assertThat(scrape.comments()).contains("# TYPE app_operation_duration_seconds histogram");
    }

    @Test
    void theDurationHistogramHasTheCatalogsLatencyBucketsAsTheHttpTimer() {
        Runnable refresh = () -> {
            clock.add(30, TimeUnit.MILLISECONDS);
        };
        operations.timed("cache.refresh", refresh).run();

        PrometheusScrape scrape = scrape();
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (java.time.Duration boundary : io.vigil.core.catalog.MetricCatalog.LATENCY_BUCKETS) {
            expected.add(Double.toString(boundary.toNanos() / 1e9));
        }
        expected.add("+Inf");
        assertThat(scrape.labelValues("app_operation_duration_seconds_bucket", "le"))
                .containsExactlyInAnyOrderElementsOf(expected);
        // 30 ms: not in the 25 ms bucket, in the 50 ms one (Prometheus buckets are cumulative)
        assertThat(scrape.value("app_operation_duration_seconds_bucket", "operation", "cache.refresh", "le", "0.025"))
                .isZero();
        assertThat(scrape.value("app_operation_duration_seconds_bucket", "operation", "cache.refresh", "le", "0.05"))
                .isEqualTo(1);
    }

    @Test
    void percentileHistogramAndNoBucketsAreOptions() {
        PrometheusMeterRegistry percentile = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock);
        Operations.builder(percentile).publishPercentileHistogram(true).build().timed("a", () -> { }).run();
        assertThat(PrometheusScrape.parse(percentile.scrape())
                .labelValues("app_operation_duration_seconds_bucket", "le")).hasSizeGreaterThan(60);

        PrometheusMeterRegistry none = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock);
        Operations.builder(none).publishPercentileHistogram(false).build().timed("a", () -> { }).run();
        PrometheusScrape scrape = PrometheusScrape.parse(none.scrape());
        assertThat(scrape.has("app_operation_duration_seconds_bucket")).isFalse();
        assertThat(scrape.value(COUNT, "operation", "a")).isEqualTo(1);
    }

    @Test
    void theCodeMarksOutcomesAndFailures() {
        try (Operation op = operations.start("payment.authorize")) {
            op.outcome("declined");
        }
        try (Operation op = operations.start("payment.authorize")) {
            op.outcome("declined");
        }
        IllegalStateException gatewayDown = new IllegalStateException("gateway down");
        assertThatThrownBy(() -> {
            try (Operation op = operations.start("payment.authorize")) {
                try {
                    throw gatewayDown;
                } catch (IllegalStateException e) {
                    throw op.failed(e);
                }
            }
        }).isSameAs(gatewayDown);
        try (Operation op = operations.start("payment.authorize")) {
            op.outcome(null);    // ignored
            op.outcome(" ");     // ignored
        }

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "payment.authorize", "outcome", "declined", "exception", "none"))
                .isEqualTo(2);
        assertThat(scrape.value(COUNT, "operation", "payment.authorize", "outcome", "error",
                "exception", "IllegalStateException")).isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "payment.authorize", "outcome", "success", "exception", "none"))
                .isEqualTo(1);
        assertThat(scrape.series(COUNT)).hasSize(3);
    }

    @Test
    void nestedScopesMeasureIndependently() {
        try (Operation order = operations.start("order.place")) {
            assertThat(order).isNotNull();
            clock.add(2, TimeUnit.MILLISECONDS);
            try (Operation payment = operations.start("payment.authorize")) {
                clock.add(3, TimeUnit.MILLISECONDS);
                payment.outcome("declined");
            }
            try (Operation payment = operations.start("payment.authorize")) {
                clock.add(4, TimeUnit.MILLISECONDS);
                payment.outcome("success");
            }
            clock.add(1, TimeUnit.MILLISECONDS);
        }

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "order.place", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(SUM, "operation", "order.place")).isEqualTo(0.010);
        assertThat(scrape.value(SUM, "operation", "payment.authorize", "outcome", "declined")).isEqualTo(0.003);
        assertThat(scrape.value(SUM, "operation", "payment.authorize", "outcome", "success")).isEqualTo(0.004);
    }

    @Test
    void closingTwiceRecordsOnceAndAReusedScopeStartsClean() {
        Operation first = operations.start("step");
        first.failed(new IllegalArgumentException());
        first.close();
        first.close();
        try (Operation second = operations.start("step")) {
            assertThat(second).isSameAs(first);   // reused: that is why a scope allocates nothing
        }

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "step", "outcome", "error", "exception", "IllegalArgumentException"))
                .isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "step", "outcome", "success", "exception", "none")).isEqualTo(1);
    }

    @Test
    void decoratedCallsRecordWhatEscapesThemAndRethrowTheSameInstance() throws Exception {
        // A block lambda: an expression lambda returning a value would pick the Callable overload (as submit does).
        Runnable refresh = operations.timed("cache.refresh", () -> {
            clock.add(7, TimeUnit.MILLISECONDS);
        });
        refresh.run();
        refresh.run();
        IllegalArgumentException badInput = new IllegalArgumentException("bad");
        Runnable failing = operations.timed("cache.refresh", (Runnable) () -> {
            throw badInput;
        });
        assertThatThrownBy(failing::run).isSameAs(badInput);
        Callable<Integer> price = operations.timed("price.compute", () -> 42);
        assertThat(price.call()).isEqualTo(42);
        Exception checked = new java.io.IOException("disk");
        Callable<Integer> io = operations.timed("price.compute", () -> {
            throw checked;
        });
        assertThatThrownBy(io::call).isSameAs(checked);
        Supplier<String> name = operations.timedSupplier("name.lookup", () -> "alice");
        assertThat(name.get()).isEqualTo("alice");

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "cache.refresh", "outcome", "success")).isEqualTo(2);
        assertThat(scrape.value(SUM, "operation", "cache.refresh", "outcome", "success")).isEqualTo(0.014);
        assertThat(scrape.value(COUNT, "operation", "cache.refresh", "outcome", "error",
                "exception", "IllegalArgumentException")).isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "price.compute", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "price.compute", "outcome", "error", "exception", "IOException"))
                .isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "name.lookup", "outcome", "success")).isEqualTo(1);
    }

    @Test
    void anAsyncCallIsRecordedWhenItsFutureCompletesFailuresIncluded() throws Exception {
        CompletableFuture<String> quote = new CompletableFuture<>();
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> failedDownstream = new CompletableFuture<>();
        Callable<CompletableFuture<String>> fetch = operations.timed("quote.fetch", () -> quote);
        Supplier<CompletableFuture<String>> fetchSlow = operations.timedSupplier("quote.fetch", () -> slow);
        Supplier<CompletableFuture<String>> chained = operations.timedSupplier("quote.fetch",
                () -> failedDownstream.thenApply(v -> {
                    throw new IllegalStateException("parse");   // reaches the stage as a CompletionException
                }));

        assertThat(fetch.call()).isSameAs(quote);   // the application's own future, not a copy
        assertThat(fetchSlow.get()).isSameAs(slow);
        CompletableFuture<String> parsed = chained.get();
        clock.add(20, TimeUnit.MILLISECONDS);
        assertThat(scrape().has(COUNT)).isFalse();   // nothing completed yet

        quote.complete("42.00");
        TimeoutException timeout = new TimeoutException();
        slow.completeExceptionally(timeout);
        failedDownstream.complete("x");

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "quote.fetch", "outcome", "success", "exception", "none"))
                .isEqualTo(1);
        assertThat(scrape.value(SUM, "operation", "quote.fetch", "outcome", "success")).isEqualTo(0.020);
        assertThat(scrape.value(COUNT, "operation", "quote.fetch", "outcome", "error",
                "exception", "TimeoutException")).isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "quote.fetch", "outcome", "error",
                "exception", "IllegalStateException")).isEqualTo(1);
        assertThat(scrape.labelValues(COUNT, "exception")).doesNotContain("CompletionException");
        assertThatThrownBy(slow::join).isInstanceOf(CompletionException.class).hasCause(timeout);
        assertThat(parsed.isCompletedExceptionally()).isTrue();
    }

    @Test
    void anExecutorRecordsQueueWaitAndRunTimePerTaskName() throws Exception {
        executor = operations.monitor(Executors.newFixedThreadPool(1), "workers");   // a ThreadPoolExecutor the binder reads
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {              // a plain task: measured under the executor's name
            started.countDown();
            await(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> refresh = executor.submit(operations.timed("cache.refresh", () -> {
            clock.add(3, TimeUnit.MILLISECONDS);
        }));
        IllegalStateException broken = new IllegalStateException("broken");
        Future<Object> failing = executor.submit(() -> {
            throw broken;
        });
        clock.add(50, TimeUnit.MILLISECONDS);  // both wait behind the first task
        release.countDown();

        refresh.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(broken);

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "workers", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(SUM, "operation", "workers", "outcome", "success")).isEqualTo(0.050);
        assertThat(scrape.value(COUNT, "operation", "workers", "outcome", "error",
                "exception", "IllegalStateException")).isEqualTo(1);
        assertThat(scrape.value(COUNT, "operation", "cache.refresh", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(SUM, "operation", "cache.refresh", "outcome", "success")).isEqualTo(0.003);
        assertThat(scrape.value(WAIT_COUNT, "operation", "workers")).isEqualTo(2);
        // The first ran at once; the failing one waited behind it (50 ms) and behind cache.refresh (3 ms).
        assertThat(scrape.value(WAIT_SUM, "operation", "workers")).isEqualTo(0.053);
        assertThat(scrape.value(WAIT_COUNT, "operation", "cache.refresh")).isEqualTo(1);
        assertThat(scrape.value(WAIT_SUM, "operation", "cache.refresh")).isEqualTo(0.050);
        // The executor's own gauges, from Micrometer's ExecutorServiceMetrics binder.
        assertThat(scrape.value("executor_pool_size_threads", "name", "workers")).isEqualTo(1);
        assertThat(scrape.has("executor_completed_tasks_total", "name", "workers")).isTrue();
        assertThat(scrape.value("executor_queued_tasks", "name", "workers")).isZero();
    }

    @Test
    void aSchedulerRecordsEveryRunAndHowLateItStarted() throws Exception {
        ScheduledExecutorService scheduler = operations.monitor(Executors.newSingleThreadScheduledExecutor(),
                "scheduler");
        executor = scheduler;
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(operations.timed("report.send", ran::countDown), 10, TimeUnit.MILLISECONDS);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
            runs.incrementAndGet();
            threeRuns.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
        assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
        periodic.cancel(false);
        scheduler.shutdown();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(COUNT, "operation", "report.send", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(WAIT_COUNT, "operation", "report.send")).isEqualTo(1);
        // The fake clock did not move: not late at all (a start before the due time counts as 0, never negative).
        assertThat(scrape.value(WAIT_SUM, "operation", "report.send")).isZero();
        assertThat(scrape.value(COUNT, "operation", "scheduler", "outcome", "success")).isEqualTo(runs.get());
        assertThat(scrape.value(WAIT_COUNT, "operation", "scheduler")).isEqualTo(runs.get());
    }

    @Test
    void activeOperationsAreCountedWhenEnabled() {
        Operations withActive = Operations.builder(registry).activeOperations(true).build();
        Operation outer = withActive.start("batch.step");
        Operation inner = withActive.start("batch.step");
        assertThat(scrape().value("app_operations_active", "operation", "batch.step")).isEqualTo(2);
        inner.close();
        assertThat(scrape().value("app_operations_active", "operation", "batch.step")).isEqualTo(1);
        outer.close();
        assertThat(scrape().value("app_operations_active", "operation", "batch.step")).isZero();

        operations.start("not.tracked").close();
        assertThat(scrape().has("app_operations_active", "operation", "not.tracked")).isFalse();   // off by default
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
