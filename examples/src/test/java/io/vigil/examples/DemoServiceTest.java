package io.vigil.examples;

import io.vigil.redis.testkit.TestRedisServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo on a real Jetty, H2 and redis-server, driven over loopback by a fixed workload; every assertion
 * reads a real scrape of its {@code /metrics} endpoint or a real probe response.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoServiceTest {

    private static final String OPS_TOKEN = "test-ops-token";
    private static final String ALICE = "user-7f3a-alice";
    private static final String BOB = "user-c29d-bob";
    private static final String CAROL = "user-e81b-carol";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Prometheus' own series that a dashboard may query beside the demo's: {@code ALERTS}, one per alerting rule
     * instance of the shipped pack, with the rule's labels (the pack's rules keep service and instance).
     */
    private static final Map<String, Set<String>> PROMETHEUS_SERIES = Map.of("ALERTS",
            Set.of("alertname", "alertstate", "severity", "service", "instance"));

    private static TestRedisServer redis;
    private static DemoService demo;
    private static HttpClient http;
    private static URI base;
    private static final List<String> orderIds = new ArrayList<>();
    private static final String missingId = UUID.randomUUID().toString();
    private static final List<HttpResponse<String>> responses = new ArrayList<>();
    private static String scrapeText;
    private static PrometheusScrape scrape;

    @BeforeAll
    static void startDemoAndRunWorkload() throws Exception {
        redis = TestRedisServer.start();
        demo = DemoService.start(DemoConfig.builder().port(0).redisUri("redis://127.0.0.1:" + redis.port())
                .opsToken(OPS_TOKEN).env("test").shutdownGrace(Duration.ZERO).build());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = URI.create("http://127.0.0.1:" + demo.port());
        // Checks run on Vigil's threads: wait for their first results (UNKNOWN before) and the first OSHI sample.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode components = JSON.readTree(get("/health", "Authorization", "Bearer " + OPS_TOKEN).body())
                    .path("components");
            return Set.of("db", "redis", "deadlocks").stream()
                    .allMatch(check -> components.path(check).path("status").asText().equals("UP"))
                    && !components.path("disk").path("status").asText("UNKNOWN").equals("UNKNOWN")
                    && PrometheusScrape.parse(get("/metrics").body()).has("system_cpu_utilization", "state", "idle");
        });

        // The workload: 3 orders placed, 2 read (one twice), 1 unknown id, 1 slow call.
        for (String[] order : new String[][] {{"book", "2", ALICE}, {"pen", "10", BOB}, {"lamp", "1", ALICE}}) {
            HttpResponse<String> placed = post("/orders", "item=" + order[0] + "&quantity=" + order[1], order[2]);
            responses.add(placed);
            String location = placed.headers().firstValue("Location").orElseThrow();
            orderIds.add(location.substring("/orders/".length()));
        }
        responses.add(get("/orders/" + orderIds.get(0), "X-User", CAROL));   // miss → SELECT → SET
        responses.add(get("/orders/" + orderIds.get(0), "X-User", CAROL));   // hit
        responses.add(get("/orders/" + orderIds.get(1), "X-User", BOB));     // miss → SELECT → SET
        responses.add(get("/orders/" + missingId, "X-User", CAROL));         // miss → SELECT → 404
        responses.add(get("/slow"));

        scrapeText = get("/metrics").body();
        scrape = PrometheusScrape.parse(scrapeText);
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void endpointsAnswerAsDocumented() throws Exception {
        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(201, 201, 201, 200, 200, 200, 404, 200);
        HttpResponse<String> placed = responses.get(0);
        assertThat(placed.headers().firstValue("Location")).hasValue("/orders/" + orderIds.get(0));
        JsonNode fromDatabase = JSON.readTree(responses.get(3).body());
        assertThat(fromDatabase.path("item").asText()).isEqualTo("book");
        assertThat(fromDatabase.path("quantity").asInt()).isEqualTo(2);
        assertThat(responses.get(4).body()).isEqualTo(responses.get(3).body());   // the cached copy
        assertThat(post("/orders", "item=%3Cscript%3E&quantity=1", null).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(1)
    void httpRequestsAreCountedByRouteTemplateAndStatus() {
        String requests = "http_server_requests_seconds_count";
        assertThat(scrape.value(requests, "method", "POST", "uri", "/orders", "status", "201", "outcome", "SUCCESS",
                "exception", "none")).isEqualTo(3);
        assertThat(scrape.value(requests, "method", "GET", "uri", "/orders/{id}", "status", "200")).isEqualTo(3);
        assertThat(scrape.value(requests, "method", "GET", "uri", "/orders/{id}", "status", "404",
                "outcome", "CLIENT_ERROR")).isEqualTo(1);
        assertThat(scrape.value(requests, "method", "GET", "uri", "/slow", "status", "200")).isEqualTo(1);
        // Probes and scrapes are excluded: only the 8 workload requests are counted.
        assertThat(scrape.sum(requests)).isEqualTo(8);
        assertThat(scrape.labelValues(requests, "uri")).containsExactlyInAnyOrder("/orders", "/orders/{id}", "/slow");
        assertThat(scrape.value("http_server_requests_seconds_sum", "uri", "/slow"))
                .isGreaterThanOrEqualTo(SlowServlet.DELAY_MILLIS / 1000.0);
        assertThat(scrape.has("http_server_requests_seconds_bucket", "uri", "/orders/{id}", "le", "+Inf")).isTrue();
    }

    @Test
    @Order(1)
    void databaseStatementsAndTransactionsAreCountedByVerb() {
        String operations = "db_client_operation_duration_seconds_count";
        assertThat(scrape.value(operations, "db_system", "h2", "db_namespace", "orders", "db_operation", "SELECT",
                "outcome", "success", "error_type", "none")).isEqualTo(3);
        assertThat(scrape.value(operations, "db_system", "h2", "db_operation", "INSERT", "outcome", "success"))
                .isEqualTo(3);
        assertThat(scrape.sum(operations, "db_system", "h2", "outcome", "error")).isZero();
        assertThat(scrape.value("db_client_transactions_total", "db_namespace", "orders", "outcome", "commit"))
                .isEqualTo(3);
        assertThat(scrape.sum("db_client_transactions_total", "outcome", "rollback")).isZero();
        assertThat(scrape.value("db_client_connection_max", "pool", "orders")).isEqualTo(4);
    }

    @Test
    @Order(1)
    void cacheHitsMissesAndPutsAreCounted() {
        assertThat(scrape.value("cache_gets_total", "cache", "orders", "result", "hit")).isEqualTo(1);
        assertThat(scrape.value("cache_gets_total", "cache", "orders", "result", "miss")).isEqualTo(3);
        assertThat(scrape.value("cache_puts_total", "cache", "orders")).isEqualTo(2);
        assertThat(scrape.value("db_client_operation_duration_seconds_count", "db_system", "redis",
                "db_operation", "GET", "outcome", "success")).isEqualTo(4);
        assertThat(scrape.value("db_client_operation_duration_seconds_count", "db_system", "redis",
                "db_operation", "SET", "outcome", "success")).isEqualTo(2);
    }

    @Test
    @Order(1)
    void orderPlacementAndCacheRefreshAreMeasuredAsOperations() {
        String operations = "app_operation_duration_seconds_count";
        assertThat(scrape.value(operations, "operation", "order.place", "outcome", "success", "exception", "none"))
                .isEqualTo(3);
        assertThat(scrape.value(operations, "operation", "cache.refresh", "outcome", "success", "exception", "none"))
                .isEqualTo(2);   // the two misses that found the order
        assertThat(scrape.labelValues(operations, "operation")).containsExactlyInAnyOrder("order.place",
                "cache.refresh");
        assertThat(scrape.has("app_operation_duration_seconds_bucket", "operation", "order.place", "le", "+Inf"))
                .isTrue();
    }

    @Test
    @Order(1)
    void applicationHealthAndMachineMetricsArePublished() {
        assertThat(scrape.value("business_events_total", "event", "order.placed")).isEqualTo(3);
        assertThat(scrape.value("users_active", "window", "5m")).isEqualTo(3);
        assertThat(scrape.value("users_active", "window", "1h")).isEqualTo(3);
        assertThat(scrape.value("health_status", "check", "db", "group", "readiness")).isEqualTo(1);
        assertThat(scrape.value("health_status", "check", "redis", "group", "readiness")).isEqualTo(1);
        assertThat(scrape.value("health_status", "check", "deadlocks", "group", "liveness")).isEqualTo(1);
        assertThat(scrape.labelValues("health_status", "group")).contains("startup");   // the disk check
        assertThat(scrape.labelValues("system_cpu_utilization", "state")).contains("user", "system", "idle");
        assertThat(scrape.samples("system_cpu_utilization")).allSatisfy(sample ->
                assertThat(sample.value()).isBetween(0.0, 1.0));
        assertThat(scrape.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(scrape.sum("vigil_internal_errors_total")).isZero();
    }

    @Test
    @Order(1)
    void everySeriesCarriesTheCommonTagsAndNoIdLeaks() {
        String hostname = scrape.labelValues("http_server_requests_seconds_count", "instance").iterator().next();
        assertThat(hostname).isNotBlank();
        assertThat(scrape.samples()).isNotEmpty().allSatisfy(sample -> assertThat(sample.labels())
                .containsEntry("service", "orders").containsEntry("env", "test").containsEntry("instance", hostname));
        List<String> secrets = new ArrayList<>(orderIds);
        secrets.addAll(List.of(missingId, ALICE, BOB, CAROL, "alice", "order:"));
        for (String secret : secrets) {
            assertThat(scrapeText).as("scrape contains %s", secret).doesNotContain(secret);
        }
    }

    @Test
    @Order(1)
    void probesAnswerWithActuatorJson() throws Exception {
        HttpResponse<String> anonymous = get("/health");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(anonymous.body()).fieldNames()).toIterable().containsExactly("status");

        HttpResponse<String> detailed = get("/health", "Authorization", "Bearer " + OPS_TOKEN);
        assertThat(detailed.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(detailed.body());
        assertThat(health.path("status").asText()).isIn("UP", "DEGRADED");
        assertThat(health.path("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("db", "redis", "deadlocks", "disk");
        assertThat(health.path("components").path("redis").path("details").has("latencyMs")).isTrue();

        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/health/started").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void dashboardQueriesOnlySeriesAndLabelsTheDemoEmits() throws Exception {
        // jvm_gc_pause_seconds appears with the first collection, which a short test may not have had yet: have one
        // (the demo runs in this JVM), then read a scrape that has it.
        System.gc();
        PrometheusScrape scrape = await().atMost(Duration.ofSeconds(10)).until(
                () -> PrometheusScrape.parse(get("/metrics").body()), s -> s.has("jvm_gc_pause_seconds_count"));
        List<String> used = new ArrayList<>();
        Map<String, JsonNode> dashboards = StackFiles.dashboards();
        assertThat(dashboards).hasSize(5);
        for (Map.Entry<String, JsonNode> file : dashboards.entrySet()) {
            JsonNode dashboard = file.getValue();
            List<String> expressions = dashboard.findValuesAsText("expr");
            assertThat(expressions).as(file.getKey()).hasSizeGreaterThanOrEqualTo(8);
            for (String expression : expressions) {
                PromQlReferences references = PromQlReferences.of(expression);
                assertThat(references.metrics).as(expression).isNotEmpty();
                Set<String> labelsOfExpression = new java.util.HashSet<>();
                for (Map.Entry<String, Set<String>> metric : references.metrics.entrySet()) {
                    Set<String> labels = new java.util.HashSet<>();
                    if (PROMETHEUS_SERIES.containsKey(metric.getKey())) {
                        labels.addAll(PROMETHEUS_SERIES.get(metric.getKey()));
                    } else {
                        assertThat(scrape.names()).as("series %s in %s of %s", metric.getKey(), expression,
                                file.getKey()).contains(metric.getKey());
                        scrape.series(metric.getKey()).forEach(series -> labels.addAll(series.keySet()));
                    }
                    assertThat(labels).as("labels of %s in %s of %s", metric.getKey(), expression, file.getKey())
                            .containsAll(metric.getValue());
                    labelsOfExpression.addAll(labels);
                    used.add(metric.getKey());
                }
                assertThat(labelsOfExpression).as("grouping labels in %s of %s", expression, file.getKey())
                        .containsAll(references.groupingLabels);
            }
            // The variables' label_values(metric, label) queries.
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                String query = variable.path("query").asText();
                if (query.startsWith("label_values(")) {
                    String[] arguments = query.substring("label_values(".length(), query.length() - 1).split(",\\s*");
                    String metric = arguments[0].replaceAll("\\{.*}", "");
                    assertThat(scrape.labelValues(metric, arguments[1])).as(query + " in " + file.getKey()).isNotEmpty();
                }
            }
        }
        assertThat(used).contains("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
                "db_client_operation_duration_seconds_count", "cache_gets_total", "health_status",
                "db_client_connection_count", "redis_memory_used_bytes", "jvm_memory_used_bytes",
                "system_cpu_utilization", "alerts_active", "alerts_notifications_total", "ALERTS");
    }

    @Test
    @Order(1)
    void stackFilesAskTheDemoOnlyForPathsItServes() throws Exception {
        Set<String> paths = StackFiles.demoPaths();
        // Kubernetes' three probes, the scrape path, the blackbox exporter's probes.
        assertThat(paths).containsExactlyInAnyOrder("/metrics", "/health/live", "/health/ready", "/health/started");
        for (String path : paths) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void readinessFailsWhenRedisStopsWhileLivenessStaysUp() throws Exception {
        redis.stop();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(get("/health/ready").statusCode()).isEqualTo(503));
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(get("/health", "Authorization", "Bearer " + OPS_TOKEN).body());
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("redis").path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");

        // The cache is an optimisation: orders are still served from the database, and the failed GET shows.
        HttpResponse<String> order = get("/orders/" + orderIds.get(2));
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(order.body()).path("item").asText()).isEqualTo("lamp");
        PrometheusScrape during = PrometheusScrape.parse(get("/metrics").body());
        assertThat(during.value("health_status", "check", "redis", "group", "readiness")).isZero();
        assertThat(during.sum("db_client_operation_duration_seconds_count", "db_system", "redis",
                "db_operation", "GET", "outcome", "error")).isEqualTo(1);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, String user)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (user != null) {
            request.header("X-User", user);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
