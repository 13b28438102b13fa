package io.vigil.core.catalog;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesBudgetTest {

    private static final String COUNT = "http_server_requests_seconds_count";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private static Tags request(String method, String uri, String status, String outcome) {
        return Tags.of("method", method, "uri", uri, "status", status, "outcome", outcome, "exception", "none");
    }

    @Test
    void seriesBeyondTheBudgetFoldIntoOtherKeepingTheOutcomeAndAreCounted() {
        CardinalityGuard.create(registry, CardinalityLimits.builder()
                .series(MetricCatalog.HTTP_SERVER_REQUESTS, 4).build());
        // every tag within its own cap, but their product is what the scrape pays for
        for (String method : List.of("GET", "POST", "PUT")) {
            for (String status : List.of("200", "500")) {
                MetricCatalog.HTTP_SERVER_REQUESTS.timer(registry,
                        request(method, "/a", status, status.equals("200") ? "SUCCESS" : "SERVER_ERROR")).record(
                        java.time.Duration.ofMillis(1));
            }
        }
        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.series(COUNT)).hasSize(4 + 2);
        assertThat(scrape.value(COUNT, "method", "GET", "uri", "/a", "status", "200")).isEqualTo(1);
        assertThat(scrape.value(COUNT, "method", "OTHER", "uri", "OTHER", "status", "OTHER", "outcome", "SUCCESS",
                "exception", "OTHER")).isEqualTo(1);
        // the 5xx ratio stays right: the outcome survives the fold
        assertThat(scrape.sum(COUNT, "outcome", "SERVER_ERROR")).isEqualTo(3);
        assertThat(scrape.sum(COUNT)).isEqualTo(6);
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "http.server.requests", "tag", "series"))
                .isEqualTo(2);
        // an admitted series is still itself when registered again
        MetricCatalog.HTTP_SERVER_REQUESTS.timer(registry, request("GET", "/a", "200", "SUCCESS"));
        assertThat(MetricCatalog.HTTP_SERVER_REQUESTS.seriesLimit(registry)).isEqualTo(4);
    }

    @Test
    void everyBudgetedMeterHasTheDefaultBudgetAndVigilsOwnMetersNone() {
        assertThat(MetricCatalog.CACHE_GETS.seriesLimit(registry)).isEqualTo(MeterDefinition.DEFAULT_SERIES_LIMIT);
        MetricCatalog.BUSINESS_EVENTS.limitSeries(registry, 2);
        for (int i = 0; i < 5; i++) {
            MetricCatalog.BUSINESS_EVENTS.counter(registry, Tags.of("event", "e" + i)).increment();
        }
        TagLimiter unused = CardinalityGuard.create(registry).limiter(MetricCatalog.BUSINESS_EVENTS, "event");
        assertThat(unused.limit()).isEqualTo(100);
        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.labelValues("business_events_total", "event")).containsExactlyInAnyOrder("e0", "e1", "OTHER");
        assertThat(scrape.value("business_events_total", "event", "OTHER")).isEqualTo(3);
        // a second registry has its own budget
        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThat(MetricCatalog.BUSINESS_EVENTS.seriesLimit(other)).isEqualTo(MeterDefinition.DEFAULT_SERIES_LIMIT);
        assertThatThrownBy(() -> MetricCatalog.BUSINESS_EVENTS.limitSeries(registry, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CardinalityLimits.builder().series(MetricCatalog.BUSINESS_EVENTS, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void racingRegistrationsAdmitExactlyTheBudget() throws Exception {
        MetricCatalog.CACHE_PUTS.limitSeries(registry, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        MetricCatalog.CACHE_PUTS.counter(registry, Tags.of("cache", "c" + ((i * 7 + thread) % 200)))
                                .increment();
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.series("cache_puts_total")).hasSize(51);
        assertThat(scrape.sum("cache_puts_total")).isEqualTo(8 * 200);
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "cache.puts", "tag", "series"))
                .isEqualTo(scrape.value("cache_puts_total", "cache", "OTHER"));
    }

    @Test
    void untrustedValuesHaveTheirOwnCapAndNeverTakeATrustedSlot() {
        CardinalityGuard guard = CardinalityGuard.create(registry, CardinalityLimits.builder()
                .tag("uri", 3).untrusted("uri", 2).build());
        TagLimiter trusted = guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri");
        TagLimiter untrusted = guard.untrustedLimiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri");
        for (int i = 0; i < 1_000; i++) {
            untrusted.limit("/junk" + i);
        }
        assertThat(untrusted.admittedCount()).isEqualTo(2);
        assertThat(trusted.limit("/orders")).isEqualTo("/orders");
        assertThat(trusted.limit("/orders/{id}")).isEqualTo("/orders/{id}");
        assertThat(trusted.limit("/users")).isEqualTo("/users");
        assertThat(trusted.limit("/fourth")).isEqualTo("OTHER");
        assertThat(guard.untrustedLimiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri")).isSameAs(untrusted);
        assertThat(PrometheusScrape.parse(registry.scrape()).value("vigil_cardinality_overflow_total",
                "meter", "http.server.requests", "tag", "uri")).isEqualTo(998 + 1);
    }
}
