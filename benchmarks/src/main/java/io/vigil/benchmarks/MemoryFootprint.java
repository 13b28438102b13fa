package io.vigil.benchmarks;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.app.ActiveUsers;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.catalog.MeterDefinition;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.normalize.HttpOutcome;
import io.vigil.core.normalize.HttpStatusTag;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap Vigil and its meters retain at the budget's reference load: the whole catalog registered, 100 routes
 * × 5 statuses of HTTP timers (with the SLO histogram), 3 connection pools, 20 Redis commands and a 1-hour
 * active-users window. Run in a fresh JVM; prints {@code retained_bytes=N} for {@code run.sh} to read.
 */
public final class MemoryFootprint {

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Object> keep = new ArrayList<>();
        // Load the classes first so that class metadata (not heap) is outside the measurement.
        keep.add(build());
        keep.clear();
        long before = settledHeap(memory);
        keep.add(build());
        long after = settledHeap(memory);
        System.out.println("retained_bytes=" + (after - before));
        System.out.println("meters=" + ((PrometheusMeterRegistry) ((Object[]) keep.get(0))[0]).getMeters().size());
    }

    private static Object[] build() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CardinalityGuard guard = CardinalityGuard.create(registry);
        AtomicLong value = new AtomicLong();
        String[] statuses = {"200", "201", "304", "404", "500"};
        String[] methods = {"GET", "POST"};
        for (int route = 0; route < 100; route++) {
            String uri = guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri").limit("/api/route" + route + "/{id}");
            for (String status : statuses) {
                String method = methods[route % 2];
                MetricCatalog.HTTP_SERVER_REQUESTS.timer(registry, Tags.of("method", method, "uri", uri,
                        "status", HttpStatusTag.of(Integer.parseInt(status)), "outcome",
                        HttpOutcome.forStatus(Integer.parseInt(status)).name(), "exception", "none"),
                        b -> b.publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(100),
                                Duration.ofMillis(500))).record(3, TimeUnit.MILLISECONDS);
            }
            MetricCatalog.HTTP_SERVER_REQUESTS_ACTIVE.longTaskTimer(registry, Tags.of("method", methods[route % 2],
                    "uri", uri));
            MetricCatalog.HTTP_SERVER_RESPONSE_SIZE.summary(registry, Tags.of("method", methods[route % 2], "uri", uri))
                    .record(512);
        }
        String[] verbs = {"SELECT", "INSERT", "UPDATE", "DELETE", "CALL", "BATCH"};
        for (int pool = 0; pool < 3; pool++) {
            String name = "pool" + pool;
            for (String verb : verbs) {
                for (String outcome : new String[] {"success", "error"}) {
                    MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry, Tags.of("db.system", "postgresql",
                            "db.namespace", name, "db.operation", verb, "outcome", outcome, "error.type",
                            outcome.equals("error") ? "23" : "none"), b -> b.publishPercentileHistogram())
                            .record(1, TimeUnit.MILLISECONDS);
                }
                MetricCatalog.DB_CLIENT_RESPONSE_RETURNED_ROWS.summary(registry, Tags.of("db.namespace", name,
                        "db.operation", verb)).record(10);
            }
            Tags poolTag = Tags.of("pool", name);
            MetricCatalog.DB_CLIENT_CONNECTION_WAIT_TIME.timer(registry, poolTag).record(1, TimeUnit.MILLISECONDS);
            MetricCatalog.DB_CLIENT_CONNECTION_USE_TIME.timer(registry, poolTag).record(1, TimeUnit.MILLISECONDS);
            MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, poolTag.and("state", "idle"), value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, poolTag.and("state", "used"), value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_PENDING_REQUESTS.gauge(registry, poolTag, value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_MAX.gauge(registry, poolTag, value, AtomicLong::get);
            MetricCatalog.DB_CLIENT_CONNECTION_TIMEOUTS.counter(registry, poolTag);
            MetricCatalog.DB_CLIENT_CONNECTION_LEAKS.counter(registry, poolTag);
            for (String outcome : new String[] {"commit", "rollback"}) {
                MetricCatalog.DB_CLIENT_TRANSACTIONS.counter(registry, Tags.of("db.namespace", name, "outcome", outcome));
            }
        }
        for (int command = 0; command < 20; command++) {
            MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry, Tags.of("db.system", "redis", "db.namespace",
                    "0", "db.operation", "CMD" + command, "outcome", "success", "error.type", "none"),
                    b -> b.publishPercentileHistogram()).record(200, TimeUnit.MICROSECONDS);
        }
        // Every remaining catalog meter once, with one series.
        for (MeterDefinition definition : MetricCatalog.all()) {
            if (definition.name().startsWith("http.server.request") || definition.name().startsWith("db.client")) {
                continue;
            }
            List<io.micrometer.core.instrument.Tag> tags = new ArrayList<>();
            definition.tagKeys().forEach(key -> tags.add(io.micrometer.core.instrument.Tag.of(key, "x")));
            switch (definition.type()) {
                case COUNTER -> definition.counter(registry, tags);
                case GAUGE -> {
                    if (!definition.name().equals("users.active")) {
                        definition.gauge(registry, tags, value, AtomicLong::get);
                    }
                }
                case TIMER -> definition.timer(registry, tags);
                case LONG_TASK_TIMER -> definition.longTaskTimer(registry, tags);
                case DISTRIBUTION_SUMMARY -> definition.summary(registry, tags);
                default -> throw new IllegalStateException();
            }
        }
        ActiveUsers users = ActiveUsers.register(registry, List.of(Duration.ofHours(1)));
        for (int i = 0; i < 100_000; i++) {
            users.seen("user-" + i);
        }
        registry.scrape(); // a scrape touches every meter's lazily built state
        return new Object[] {registry, guard, users};
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
