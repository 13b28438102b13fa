package io.vigil.core.operation;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids in operation names, outcomes or exception classes fold into {@code OTHER}: the series count stays capped. */
class OperationsCardinalityTest {

    private static final String COUNT = "app_operation_duration_seconds_count";
    private static final int THREADS = 8;
    private static final int NAMES_PER_THREAD = 100_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void eightThreadsOfDistinctNamesMakeExactlyTheCapPlusOther() throws Exception {
        Operations operations = Operations.builder(registry).publishPercentileHistogram(false).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier together = new CyclicBarrier(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                together.await();
                for (int i = 0; i < NAMES_PER_THREAD; i++) {
                    try (Operation op = operations.start("order-" + thread + "-" + i)) {   // a bug: ids in names
                        if (i % 2 == 0) {
                            op.outcome("declined");
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        int cap = CardinalityLimits.DEFAULT_LIMIT;
        assertThat(scrape.labelValues(COUNT, "operation")).hasSize(cap + 1).contains("OTHER");
        assertThat(scrape.series(COUNT)).hasSizeLessThanOrEqualTo((cap + 1) * 2);   // success and declined
        assertThat(scrape.sum(COUNT)).isEqualTo(THREADS * NAMES_PER_THREAD);
        assertThat(scrape.sum(COUNT, "outcome", "declined")).isEqualTo(THREADS * NAMES_PER_THREAD / 2);
        assertThat(scrape.sum(COUNT, "operation", "OTHER")).isEqualTo(THREADS * NAMES_PER_THREAD - cap);
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "app.operation.duration",
                "tag", "operation")).isEqualTo(THREADS * NAMES_PER_THREAD - cap);
    }

    @Test
    void outcomesAndExceptionNamesAreCappedToo() {
        Operations operations = Operations.builder(registry)
                .cardinalityLimits(CardinalityLimits.builder()
                        .tag(MetricCatalog.APP_OPERATION_DURATION, "outcome", 3)
                        .tag(MetricCatalog.APP_OPERATION_DURATION, "exception", 2).build())
                .build();
        for (int i = 0; i < 5; i++) {
            try (Operation op = operations.start("import")) {
                op.outcome("rejected-" + i);
            }
        }
        List<RuntimeException> errors = List.of(new IllegalStateException(), new IllegalArgumentException(),
                new UnsupportedOperationException(), new ArithmeticException());
        for (RuntimeException error : errors) {
            try (Operation op = operations.start("import")) {
                op.failed(error);
            }
        }

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        // 3 of the application's outcomes are admitted, the rest overflow; "error" (from failed()) is built in.
        assertThat(scrape.labelValues(COUNT, "outcome"))
                .containsExactlyInAnyOrder("rejected-0", "rejected-1", "rejected-2", "OTHER", "error");
        assertThat(scrape.sum(COUNT, "outcome", "OTHER")).isEqualTo(2);
        assertThat(scrape.labelValues(COUNT, "exception"))
                .containsExactlyInAnyOrder("none", "IllegalStateException", "IllegalArgumentException", "OTHER");
        assertThat(scrape.sum(COUNT, "exception", "OTHER")).isEqualTo(2);
        assertThat(scrape.sum(COUNT)).isEqualTo(9);
    }

    @Test
    void theDefaultOutcomeCapIsSmall() {
        Operations operations = Operations.register(registry);
        for (int i = 0; i < 50; i++) {
            try (Operation op = operations.start("import")) {
                op.outcome("code-" + i);
            }
        }
        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.labelValues(COUNT, "outcome")).hasSize(Operations.DEFAULT_OUTCOME_LIMIT + 1);
    }
}
