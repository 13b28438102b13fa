package io.vigil.core.catalog;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.exposition.PrometheusExposition;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Every catalog meter, registered on a real Prometheus registry, scrapes under the names dashboards use. */
class CatalogScrapeTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong gaugeValue = new AtomicLong(7);

    @BeforeEach
    void registerEveryMeter() {
        for (MeterDefinition definition : MetricCatalog.all()) {
            List<Tag> tags = new ArrayList<>();
            definition.tagKeys().forEach(key -> tags.add(Tag.of(key, "v")));
            Tags all = Tags.of(tags);
            switch (definition.type()) {
                case COUNTER:
                    definition.counter(registry, all).increment(3);
                    break;
                case GAUGE:
                    definition.gauge(registry, all, gaugeValue, AtomicLong::get);
                    break;
                case TIMER:
                    definition.timer(registry, all).record(java.time.Duration.ofMillis(5));
                    break;
                case LONG_TASK_TIMER:
                    definition.longTaskTimer(registry, all);
                    break;
                case DISTRIBUTION_SUMMARY:
                    definition.summary(registry, all).record(42);
                    break;
                default:
                    throw new AssertionError(definition.type());
            }
        }
    }

    @Test
    void textFormatNamesHelpAndTypeLines() {
        String text = PrometheusExposition.scrape(registry, null);
        PrometheusScrape scrape = PrometheusScrape.parse(text);

        assertThat(scrape.value("http_server_requests_seconds_count", "method", "v", "uri", "v", "status", "v",
                "outcome", "v", "exception", "v")).isEqualTo(1);
        assertThat(scrape.names()).contains(
                "http_server_requests_seconds_count", "http_server_requests_seconds_sum",
                "http_server_requests_seconds_max",
                "http_server_requests_active_seconds_count", "http_server_requests_active_seconds_sum",
                "http_server_request_size_bytes_count", "http_server_response_size_bytes_sum",
                "http_server_auth_failures_total", "http_server_rate_limited_total",
                "security_login_attempts_total", "business_events_total", "users_active",
                "db_client_operation_duration_seconds_count", "db_client_operation_batch_size_count",
                "db_client_connection_wait_time_seconds_count", "db_client_connection_use_time_seconds_count",
                "db_client_connection_count", "db_client_connection_pending_requests", "db_client_connection_max",
                "db_client_connection_timeouts_total", "db_client_connection_leaks_total",
                "db_client_transactions_total", "db_client_response_returned_rows_count",
                "cache_gets_total", "cache_puts_total", "cache_evictions_total",
                "redis_memory_used_bytes", "redis_clients_connected", "redis_keyspace_lookups_total",
                "redis_connection_events_total",
                "system_cpu_utilization", "system_memory_usage_bytes", "system_memory_utilization",
                "system_filesystem_usage_bytes", "system_disk_io_bytes_total", "system_network_io_bytes_total",
                "system_network_errors_total", "system_network_dropped_total",
                "health_status", "health_check_duration_seconds_count",
                "alerts_active", "alerts_notifications_total", "alerts_notification_duration_seconds_count",
                "alerts_escalations_total", "vigil_cardinality_overflow_total", "vigil_internal_errors_total");
        assertThat(scrape.value("db_client_operation_duration_seconds_count", "db_system", "v",
                "error_type", "v")).isEqualTo(1);
        assertThat(scrape.value("cache_gets_total", "cache", "v", "result", "v")).isEqualTo(3);
        assertThat(scrape.value("redis_memory_used_bytes", "server", "v")).isEqualTo(7);
        assertThat(scrape.comments()).contains(
                "# HELP http_server_requests_seconds Duration of HTTP server requests",
                "# TYPE http_server_requests_seconds summary",
                "# HELP cache_gets_total Cache reads by result",
                "# TYPE cache_gets_total counter",
                "# TYPE users_active gauge",
                "# TYPE http_server_response_size_bytes summary");
    }

    @Test
    void openMetricsNamesHelpAndTypeLines() {
        String text = PrometheusExposition.scrape(registry, "application/openmetrics-text; version=1.0.0");
        PrometheusScrape scrape = PrometheusScrape.parse(text);

        assertThat(text).endsWith("# EOF\n");
        assertThat(scrape.value("http_server_requests_seconds_count", "method", "v")).isEqualTo(1);
        assertThat(scrape.value("cache_gets_total", "cache", "v", "result", "v")).isEqualTo(3);
        assertThat(scrape.names()).contains("db_client_operation_duration_seconds_count",
                "system_disk_io_bytes_total", "redis_memory_used_bytes", "vigil_internal_errors_total");
        assertThat(scrape.comments()).contains(
                "# TYPE http_server_requests_seconds summary",
                "# HELP http_server_requests_seconds Duration of HTTP server requests",
                "# TYPE cache_gets counter",
                "# HELP cache_gets Cache reads by result",
                "# TYPE redis_memory_used_bytes gauge",
                "# HELP redis_memory_used_bytes Memory used by the Redis server (INFO used_memory)");
    }
}
