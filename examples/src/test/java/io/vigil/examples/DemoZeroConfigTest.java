package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as a newcomer starts it: no configuration at all, so H2 in memory and the redis-server bundled in
 * embedded-redis, on a real Jetty over loopback. Then the same demo is stopped under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoZeroConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GRACE = Duration.ofSeconds(1);

    private static DemoService demo;
    private static int port;
    private static ProcessHandle redisServer;
    private static PrometheusScrape scrape;

    @BeforeAll
    static void startWithoutConfigurationAndRunAWorkload() throws Exception {
        Set<ProcessHandle> before = RedisProcesses.childrenOf(ProcessHandle.current());
        // Only what a test must change: a free port, and the shutdown grace the second part measures.
        demo = DemoService.start(DemoConfig.builder().port(0).shutdownGrace(GRACE)
                .drainTimeout(Duration.ofSeconds(5)).build());
        port = demo.port();
        Set<ProcessHandle> started = new HashSet<>(RedisProcesses.childrenOf(ProcessHandle.current()));
        started.removeAll(before);
        assertThat(started).as("the bundled redis-server, a child of this JVM").hasSize(1);
        redisServer = started.iterator().next();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode components = JSON.readTree(RawHttp.get(port, "/health").body()).path("components");
            PrometheusScrape metrics = PrometheusScrape.parse(RawHttp.get(port, "/metrics").body());
            return components.size() == 4 && allUp(components) && metrics.sum("system_memory_usage_bytes") > 0;
        });

        RawHttp.Response placed = RawHttp.exchange(port, "POST", "/orders", "item=book&quantity=2",
                "Content-Type", "application/x-www-form-urlencoded", "X-User", "alice");
        assertThat(placed.status()).isEqualTo(201);
        String location = placed.head().lines().filter(line -> line.startsWith("Location: ")).findFirst()
                .orElseThrow().substring("Location: ".length());
        assertThat(RawHttp.get(port, location).status()).isEqualTo(200);   // miss: SELECT, then SET
        assertThat(RawHttp.get(port, location).status()).isEqualTo(200);   // hit
        assertThat(RawHttp.get(port, "/slow").status()).isEqualTo(200);
        scrape = PrometheusScrape.parse(RawHttp.get(port, "/metrics").body());
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void metricsHaveHttpSqlRedisSystemJvmAndHealthSeries() {
        assertThat(scrape.value("http_server_requests_seconds_count", "method", "POST", "uri", "/orders",
                "status", "201")).isEqualTo(1);
        assertThat(scrape.value("http_server_requests_seconds_count", "method", "GET", "uri", "/orders/{id}",
                "status", "200")).isEqualTo(2);
        assertThat(scrape.value("http_server_requests_seconds_count", "uri", "/slow")).isEqualTo(1);

        String operations = "db_client_operation_duration_seconds_count";
        assertThat(scrape.value(operations, "db_system", "h2", "db_operation", "INSERT", "outcome", "success"))
                .isEqualTo(1);
        assertThat(scrape.value(operations, "db_system", "h2", "db_operation", "SELECT", "outcome", "success"))
                .isEqualTo(1);
        assertThat(scrape.value(operations, "db_system", "redis", "db_operation", "GET", "outcome", "success"))
                .isEqualTo(2);
        assertThat(scrape.value(operations, "db_system", "redis", "db_operation", "SET", "outcome", "success"))
                .isEqualTo(1);
        assertThat(scrape.value("cache_gets_total", "cache", "orders", "result", "miss")).isEqualTo(1);
        assertThat(scrape.value("cache_gets_total", "cache", "orders", "result", "hit")).isEqualTo(1);
        // SQL and Redis share one histogram family: the scrape is valid without any wiring option.
        assertThat(scrape.has("db_client_operation_duration_seconds_bucket", "db_system", "h2", "le", "+Inf"))
                .isTrue();
        assertThat(scrape.has("db_client_operation_duration_seconds_bucket", "db_system", "redis", "le", "+Inf"))
                .isTrue();

        // OSHI's first sample (CPU utilization needs two: DemoServiceTest waits for it).
        assertThat(scrape.labelValues("system_memory_usage_bytes", "state")).contains("used", "free");
        assertThat(scrape.sum("system_memory_usage_bytes")).isPositive();
        assertThat(scrape.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(scrape.sum("process_cpu_usage")).isNotNegative();
        for (String[] check : new String[][] {{"db", "readiness"}, {"redis", "readiness"},
                {"deadlocks", "liveness"}, {"disk", "startup"}}) {
            assertThat(scrape.value("health_status", "check", check[0], "group", check[1])).as(check[0]).isEqualTo(1);
        }
        assertThat(scrape.sum("business_events_total", "event", "order.placed")).isEqualTo(1);
        assertThat(scrape.sum("vigil_internal_errors_total")).isZero();
        // The rule pack runs in process: one firing-alert gauge per severity it declares, none firing at rest.
        assertThat(scrape.labelValues("alerts_active", "severity")).containsExactlyInAnyOrder("critical", "warning");
        assertThat(scrape.sum("alerts_active", "severity", "critical")).isZero();
    }

    @Test
    @Order(1)
    void healthListsEveryCheckUp() throws Exception {
        RawHttp.Response health = RawHttp.get(port, "/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode report = JSON.readTree(health.body());
        assertThat(report.path("status").asText()).isEqualTo("UP");
        assertThat(report.path("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("db", "redis", "deadlocks", "disk");
        assertThat(allUp(report.path("components"))).as(report.toString()).isTrue();
        assertThat(RawHttp.get(port, "/health/ready").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/health/live").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/health/started").status()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void traceIsRefusedOnEveryPathAndEchoesNothing() throws Exception {
        for (String path : List.of("/orders", "/orders/42", "/slow", "/metrics", "/health", "/health/ready",
                "/nowhere", "/")) {
            RawHttp.Response trace = RawHttp.exchange(port, "TRACE", path, null,
                    "Authorization", "Bearer secret-token-7", "Cookie", "session=secret-cookie-9");
            assertThat(trace.status()).as("TRACE %s", path).isEqualTo(405);
            assertThat(trace.head()).as(path).contains("Allow: " + TraceRejection.ALLOWED)
                    .doesNotContain("secret-token-7", "secret-cookie-9");
            assertThat(trace.body()).as(path).isEmpty();
        }
    }

    @Test
    @Order(2)
    void stopUnderLoadTurnsReadinessDownFirstDrainsAndStopsRedis() throws Exception {
        ShutdownUnderLoad load = ShutdownUnderLoad.start(port, 4);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.served() >= 40);
            ShutdownUnderLoad.SlowUpload inFlight = load.slowUpload();
            long stopCalled = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(demo::stop);

            assertThat(load.awaitPortClosed(Duration.ofSeconds(15))).as("the port closes").isTrue();
            // Accepted before the port closed, completed after: the drain lets it finish.
            RawHttp.Response drained = inFlight.finish();
            stopping.get(15, TimeUnit.SECONDS);
            load.awaitClients(Duration.ofSeconds(15));

            assertThat(drained.status()).as(drained.head() + "\n" + drained.body()).isEqualTo(201);
            assertThat(load.readinessDownAt()).as("readiness turned 503").isPositive();
            assertThat(load.readinessDownAt()).as("before the port closed").isLessThan(load.portClosedAt());
            assertThat(load.portClosedAt() - stopCalled).as("the port stays open for the grace")
                    .isGreaterThanOrEqualTo(GRACE.toNanos());
            assertThat(load.failures()).as("requests accepted but not completed").isEmpty();
            assertThat(load.served()).isGreaterThanOrEqualTo(40);
        } finally {
            load.close();
        }
        assertThat(redisServer.isAlive()).as("the bundled redis-server is stopped").isFalse();
    }

    private static boolean allUp(JsonNode components) {
        Set<String> statuses = new HashSet<>();
        components.forEach(component -> statuses.add(component.path("status").asText()));
        return statuses.equals(Set.of("UP"));
    }
}
