package io.vigil.benchmarks;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.catalog.CommonTags;
import io.vigil.core.catalog.MetricCatalog;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registries the alert engine is measured over: the budget's reference load (as {@link MemoryFootprint}:
 * 100 routes × 5 statuses of HTTP timers with the percentile histogram, 3 pools, 20 Redis commands) and a load of
 * about 10,000 scraped series (HTTP timers with the SLO histogram only, plus the pools and Redis commands).
 */
final class AlertLoads {

    private AlertLoads() {
    }

    static PrometheusMeterRegistry registry(String load) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CommonTags.builder().service("checkout").instance("api-1").build().applyTo(registry);
        String[] statuses = {"200", "201", "304", "404", "500"};
        boolean reference = load.equals("reference");
        int routes = reference ? 100 : 10_000;
        int created = 0;
        for (int route = 0; route < routes; route++) {
            for (String status : statuses) {
                MetricCatalog.HTTP_SERVER_REQUESTS.timer(registry, Tags.of("method", route % 2 == 0 ? "GET" : "POST",
                        "uri", "/api/route" + route + "/{id}", "status", status, "outcome",
                        status.startsWith("5") ? "SERVER_ERROR" : "SUCCESS", "exception", "none"),
                        b -> reference ? b.publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(100),
                                Duration.ofMillis(500)) : b.serviceLevelObjectives(Duration.ofMillis(10),
                                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)))
                        .record(3, TimeUnit.MILLISECONDS);
            }
            created += 5 * 11; // 8 buckets + count + sum + max per timer without the percentile histogram
            if (!reference && created >= 9_000) {
                break;
            }
        }
        AtomicLong value = new AtomicLong(3);
        String[] verbs = {"SELECT", "INSERT", "UPDATE", "DELETE", "CALL", "BATCH"};
        for (int pool = 0; pool < 3; pool++) {
            String name = "pool" + pool;
            for (String verb : verbs) {
                for (String outcome : new String[] {"success", "error"}) {
                    MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry, Tags.of("db.system", "postgresql",
                            "db.namespace", name, "db.operation", verb, "outcome", outcome, "error.type",
                            outcome.equals("error") ? "23" : "none")).record(1, TimeUnit.MILLISECONDS);
                }
            }
            Tags poolTag = Tags.of("pool", name);
            MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, poolTag.and("state", "idle"), value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, poolTag.and("state", "used"), value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_MAX.gauge(registry, poolTag, value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_TIMEOUTS.counter(registry, poolTag);
        }
        for (int command = 0; command < 20; command++) {
            MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry, Tags.of("db.system", "redis", "db.namespace",
                    "0", "db.operation", "CMD" + command, "outcome", "success", "error.type", "none"))
                    .record(200, TimeUnit.MICROSECONDS);
        }
        return registry;
    }

    /** Sample lines in the registry's scrape: the series a Prometheus server would store. */
    static int scrapedSeries(PrometheusMeterRegistry registry) {
        int n = 0;
        for (String line : registry.scrape().split("\n")) {
            if (!line.isEmpty() && line.charAt(0) != '#') {
                n++;
            }
        }
        return n;
    }
}
