package io.vigil.core.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricCatalogTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void declaresEveryMeterOfTheDesignCatalogWithItsTags() {
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("http.server.requests", List.of("method", "uri", "status", "outcome", "exception")),
                Map.entry("http.server.requests.active", List.of("method", "uri")),
                Map.entry("http.server.request.size", List.of("method", "uri")),
                Map.entry("http.server.response.size", List.of("method", "uri")),
                Map.entry("http.server.auth.failures", List.of("uri", "status")),
                Map.entry("http.server.rate.limited", List.of("uri")),
                Map.entry("security.login.attempts", List.of("result")),
                Map.entry("business.events", List.of("event")),
                Map.entry("users.active", List.of("window")),
                Map.entry("app.operation.duration", List.of("operation", "outcome", "exception")),
                Map.entry("app.operation.queue.wait", List.of("operation")),
                Map.entry("app.operations.active", List.of("operation")),
                Map.entry("db.client.operation.duration",
                        List.of("db.system", "db.namespace", "db.operation", "outcome", "error.type")),
                Map.entry("db.client.connection.wait_time", List.of("pool")),
                Map.entry("db.client.connection.use_time", List.of("pool")),
                Map.entry("db.client.connection.count", List.of("pool", "state")),
                Map.entry("db.client.connection.pending_requests", List.of("pool")),
                Map.entry("db.client.connection.max", List.of("pool")),
                Map.entry("db.client.connection.timeouts", List.of("pool")),
                Map.entry("db.client.connection.leaks", List.of("pool")),
                Map.entry("db.client.transactions", List.of("db.namespace", "outcome")),
                Map.entry("db.client.response.returned_rows", List.of("db.namespace", "db.operation")),
                Map.entry("cache.gets", List.of("cache", "result")),
                Map.entry("cache.puts", List.of("cache")),
                Map.entry("cache.evictions", List.of("cache")),
                Map.entry("redis.memory.used", List.of("server")),
                Map.entry("redis.clients.connected", List.of("server")),
                Map.entry("redis.connection.events", List.of("event")),
                Map.entry("system.cpu.utilization", List.of("state")),
                Map.entry("system.memory.usage", List.of("state")),
                Map.entry("health.status", List.of("check", "group")),
                Map.entry("health.check.duration", List.of("check")),
                Map.entry("alerts.active", List.of("severity")),
                Map.entry("alerts.notifications", List.of("channel", "outcome")),
                Map.entry("alerts.escalations", List.of("level")),
                Map.entry("vigil.cardinality.overflow", List.of("meter", "tag")),
                Map.entry("vigil.internal.errors", List.of("component")));
        Map<String, List<String>> declared = MetricCatalog.all().stream()
                .collect(Collectors.toMap(MeterDefinition::name, d -> List.copyOf(d.tagKeys())));
        assertThat(declared).containsAllEntriesOf(expected);
    }

    @Test
    void namesAreUniqueAndDescribed() {
        assertThat(MetricCatalog.all()).extracting(MeterDefinition::name).doesNotHaveDuplicates();
        assertThat(MetricCatalog.all()).allSatisfy(d -> assertThat(d.description()).isNotBlank());
        assertThat(MetricCatalog.byName("http.server.requests")).contains(MetricCatalog.HTTP_SERVER_REQUESTS);
        assertThat(MetricCatalog.byName("no.such.meter")).isEmpty();
    }

    @Test
    void anUndeclaredTagKeyFailsAtRegistrationWithAClearMessage() {
        assertThatThrownBy(() -> MetricCatalog.HTTP_SERVER_RATE_LIMITED.counter(registry,
                Tags.of("uri", "/a", "user", "alice")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.server.rate.limited")
                .hasMessageContaining("not allowed: [user]");
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aMissingTagKeyFailsBecausePrometheusNeedsTheSameLabelsOnEverySeries() {
        assertThatThrownBy(() -> MetricCatalog.HTTP_SERVER_AUTH_FAILURES.counter(registry, Tags.of("uri", "/a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing: [status]");
    }

    @Test
    void registeringAsTheWrongKindFails() {
        assertThatThrownBy(() -> MetricCatalog.CACHE_PUTS.timer(registry, Tags.of("cache", "c")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is a COUNTER");
    }

    @Test
    void registersWithNameUnitAndDescriptionFromTheCatalog() {
        var summary = MetricCatalog.HTTP_SERVER_RESPONSE_SIZE.summary(registry, Tags.of("method", "GET", "uri", "/"));
        assertThat(summary.getId().getName()).isEqualTo("http.server.response.size");
        assertThat(summary.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(summary.getId().getDescription()).isEqualTo("Size of HTTP response bodies");
    }

    @Test
    void databaseOperationTimersHaveTheCatalogsBucketsWhateverTheAdapterAsks() {
        var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        Tags jdbc = Tags.of("db.system", "h2", "db.namespace", "orders", "db.operation", "SELECT", "outcome",
                "success", "error.type", "none");
        Tags redis = Tags.of("db.system", "redis", "db.namespace", "0", "db.operation", "GET", "outcome",
                "success", "error.type", "none");
        MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(prometheus, jdbc).record(java.time.Duration.ofMillis(3));
        MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(prometheus, redis,
                b -> b.serviceLevelObjectives(java.time.Duration.ofSeconds(42))).record(java.time.Duration.ofMillis(3));

        var scrape = io.vigil.core.testkit.PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.labelValues("db_client_operation_duration_seconds_bucket", "le")).containsExactly(
                "2.5E-4", "0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1.0", "5.0", "10.0", "+Inf");
        assertThat(scrape.value("db_client_operation_duration_seconds_bucket", "db_system", "redis", "le", "0.005"))
                .isEqualTo(1);
        assertThat(scrape.value("db_client_operation_duration_seconds_bucket", "db_system", "h2", "le", "0.001"))
                .isZero();
        assertThat(MetricCatalog.DB_CLIENT_OPERATION_DURATION.buckets()).hasSize(10);
        assertThat(MetricCatalog.CACHE_GETS.buckets()).isEmpty();
    }
}
