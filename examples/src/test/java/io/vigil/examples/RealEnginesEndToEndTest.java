package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.alerts.testkit.RealTools;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo with the real engines: the demo in its own JVM, Debian's Prometheus 2.42 with the shipped
 * {@code prometheus.yml} and rule files, Debian's Alertmanager 0.25 with the shipped {@code alertmanager.yml}.
 * Rewritten for the test, and nothing else: the targets (the demo's and Alertmanager's free loopback ports, the
 * commented Vigil entry enabled with the demo's port), the receivers' URL (a webhook server in the test), and
 * the scrape and evaluation intervals (15 s → 1 s, scrape timeout 10 s → 1 s) so that the run takes about two
 * minutes; on Debian's build, which lacks Kubernetes discovery, the Kubernetes job is cut out.
 *
 * <p>Then, through Prometheus' HTTP API: the demo's series are scraped and every recording rule has a value; the
 * demo's redis-server is killed, and {@code VigilRedisDown} (for: 1m) fires in Prometheus and in the demo's own
 * rule engine with the same labels, Alertmanager delivers it to the test's webhook, and Prometheus' copy sent to
 * the demo's {@code /alerts/api/v2/alerts} makes an incident in Vigil (root: the cache).
 */
class RealEnginesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration PATIENCE = Duration.ofSeconds(150);

    @Test
    void theDemoWithPrometheusAndAlertmanager(@TempDir Path dir) throws Exception {
        String prometheus = RealTools.require("prometheus");
        String promtool = RealTools.require("promtool");
        String alertmanager = RealTools.require("prometheus-alertmanager");
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (WebhookReceiver hook = new WebhookReceiver();
             DemoProcess demo = DemoProcess.start(dir.resolve("demo"), Map.of("PORT", "0"))) {
            int demoPort = demo.awaitStarted(Duration.ofSeconds(90));
            // Steady traffic, so every rate and ratio the rules record has requests, SQL and cache reads behind it.
            String order = RawHttp.post(demoPort, "/orders", "item=e2e&quantity=1").head()
                    .lines().filter(l -> l.toLowerCase().startsWith("location:")).findFirst().orElseThrow()
                    .substring("location:".length()).trim();
            load.scheduleAtFixedRate(() -> {
                try {
                    RawHttp.post(demoPort, "/orders", "item=e2e&quantity=2");
                    RawHttp.get(demoPort, order);
                } catch (IOException e) {
                    // the next round tries again
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            int amPort = RealTools.freePort();
            Path amDir = Files.createDirectories(dir.resolve("alertmanager"));
            Path amConfig = amDir.resolve("alertmanager.yml");
            Files.writeString(amConfig, rewrite(Files.readString(Path.of("monitoring", "alertmanager", "alertmanager.yml")),
                    "http://127.0.0.1:5001/", hook.url("/").toString()));
            Path promDir = Files.createDirectories(dir.resolve("prometheus"));
            for (String rules : List.of("recording_rules.yml", "alerting_rules.yml", "orders_rules.yml")) {
                Files.copy(ShippedPrometheusConfig.DIRECTORY.resolve(rules), promDir.resolve(rules));
            }
            String promConfig = ShippedPrometheusConfig.forThisBuild(promtool, promDir);
            promConfig = rewrite(promConfig, String.join("\n",
                    "    # - api_version: v2",
                    "    #   path_prefix: /alerts",
                    "    #   static_configs:",
                    "    #     - targets: [\"localhost:8080\"]"), String.join("\n",
                    "    - api_version: v2",
                    "      path_prefix: /alerts",
                    "      static_configs:",
                    "        - targets: [\"127.0.0.1:" + demoPort + "\"]"));
            promConfig = rewrite(promConfig, "targets: [\"localhost:8080\"]", "targets: [\"127.0.0.1:" + demoPort + "\"]");
            promConfig = rewrite(promConfig, "targets: [\"localhost:9093\"]", "targets: [\"127.0.0.1:" + amPort + "\"]");
            promConfig = rewrite(promConfig, "scrape_interval: 15s", "scrape_interval: 1s");
            promConfig = rewrite(promConfig, "evaluation_interval: 15s", "evaluation_interval: 1s");
            promConfig = rewrite(promConfig, "scrape_timeout: 10s", "scrape_timeout: 1s");
            Path promConfigFile = Files.writeString(promDir.resolve("prometheus.yml"), promConfig);
            int promPort = RealTools.freePort();
            String prom = "http://127.0.0.1:" + promPort;

            try (RealTools.Server am = new RealTools.Server(List.of(alertmanager, "--config.file=" + amConfig,
                    "--storage.path=" + amDir.resolve("data"), "--web.listen-address=127.0.0.1:" + amPort,
                    "--cluster.listen-address="), amDir.resolve("alertmanager.log"));
                 RealTools.Server server = new RealTools.Server(List.of(prometheus, "--config.file=" + promConfigFile,
                         "--storage.tsdb.path=" + promDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort),
                         promDir.resolve("prometheus.log"))) {
                Supplier<String> logs = () -> "\n--- prometheus\n" + tail(server.log()) + "\n--- alertmanager\n"
                        + tail(am.log()) + "\n--- demo\n" + tail(demo.stderr());

                // 1. The demo's series are scraped, with Vigil's labels kept (honor_labels).
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).alias("scrape" + logs.get())
                        .until(() -> query(prom, "up{job=\"vigil-demo\"}").path(0).path("value").path(1).asText()
                                .equals("1"));
                for (String series : List.of("http_server_requests_seconds_count{uri=\"/orders/{id}\"}",
                        "db_client_operation_duration_seconds_count{db_system=\"h2\"}",
                        "db_client_operation_duration_seconds_count{db_system=\"redis\"}", "cache_gets_total",
                        "health_status{check=\"redis\"}", "jvm_memory_used_bytes", "system_cpu_utilization",
                        "alerts_active{severity=\"critical\"}")) {
                    JsonNode result = query(prom, series);
                    assertThat(result).as(series + logs.get()).isNotEmpty();
                    assertThat(result.path(0).path("metric").path("service").asText()).isEqualTo("orders");
                }

                // 2. Every recording rule of the shipped files has a value.
                JsonNode recording = get(prom + "/api/v1/rules?type=record").path("data").path("groups");
                int rules = 0;
                for (JsonNode group : recording) {
                    for (JsonNode rule : group.path("rules")) {
                        StringBuilder selector = new StringBuilder(rule.path("name").asText()).append('{');
                        rule.path("labels").properties().forEach(l -> selector.append(l.getKey()).append("=\"")
                                .append(l.getValue().asText()).append("\","));
                        String expr = selector.append('}').toString();
                        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                                .alias("a value for " + expr + logs.get()).until(() -> !query(prom, expr).isEmpty());
                        rules++;
                    }
                }
                assertThat(rules).isEqualTo(12);

                // 3. A Redis outage: the demo's redis-server dies.
                List<ProcessHandle> redis = RedisProcesses.under(demo.tmpDirectory());
                assertThat(redis).hasSize(1);
                redis.forEach(ProcessHandle::destroyForcibly);

                // ... VigilRedisDown fires in Prometheus,
                JsonNode[] firing = new JsonNode[1];
                await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).alias("VigilRedisDown firing in Prometheus"
                        + logs.get()).until(() -> {
                            for (JsonNode alert : get(prom + "/api/v1/alerts").path("data").path("alerts")) {
                                if (alert.path("labels").path("alertname").asText().equals("VigilRedisDown")
                                        && alert.path("state").asText().equals("firing")) {
                                    firing[0] = alert;
                                    return true;
                                }
                            }
                            return false;
                        });
                Map<String, String> labels = labels(firing[0].path("labels"));
                assertThat(labels).containsEntry("service", "orders").containsEntry("severity", "critical")
                        .containsKey("instance");

                // ... in the demo's own rule engine (its log line), with the same name and labels, and so in its API,
                await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).alias("the demo's engine fires it" + logs.get())
                        .until(() -> demo.stderr().contains("Rule engine: VigilRedisDown FIRING " + labels));
                JsonNode api = get("http://127.0.0.1:" + demoPort + "/alerts/api/v2/alerts?filter="
                        + URLEncoder.encode("alertname=\"VigilRedisDown\"", StandardCharsets.UTF_8));
                assertThat(api).hasSize(1);
                assertThat(labels(api.get(0).path("labels"))).isEqualTo(labels);
                assertThat(api.get(0).path("status").path("state").asText()).isEqualTo("suppressed");   // a symptom

                // ... Alertmanager delivers it to the webhook,
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .alias("Alertmanager's webhook" + logs.get()).until(() -> hook.received().stream().anyMatch(m ->
                                m.path("status").asText().equals("firing")
                                        && m.path("commonLabels").path("alertname").asText().equals("VigilRedisDown")));
                JsonNode delivered = hook.received().stream().filter(m -> m.path("commonLabels").path("alertname")
                        .asText().equals("VigilRedisDown")).findFirst().orElseThrow();
                assertThat(delivered.path("receiver").asText()).isEqualTo("oncall");
                assertThat(labels(delivered.path("alerts").get(0).path("labels"))).isEqualTo(labels);

                // ... and what Prometheus sent to the demo's /alerts/api/v2/alerts makes an incident there.
                PrometheusScrape promMetrics = PrometheusScrape.parse(HTTP.send(HttpRequest.newBuilder(
                        URI.create(prom + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
                String vigilAm = "http://127.0.0.1:" + demoPort + "/alerts/api/v2/alerts";
                assertThat(promMetrics.value("prometheus_notifications_sent_total", "alertmanager", vigilAm))
                        .as("alerts Prometheus sent to Vigil").isPositive();
                assertThat(promMetrics.value("prometheus_notifications_errors_total", "alertmanager", vigilAm)).isZero();
                JsonNode incidents = get("http://127.0.0.1:" + demoPort + "/alerts/api/vigil/incidents");
                JsonNode outage = null;
                for (JsonNode incident : incidents) {
                    if (incident.path("symptoms").toString().contains("VigilRedisDown")) {
                        outage = incident;
                    }
                }
                assertThat(outage).as("an incident with VigilRedisDown among its symptoms: %s", incidents).isNotNull();
                assertThat(outage.path("root").path("labels").path("alertname").asText()).isEqualTo("OrdersCacheDown");
                assertThat(outage.path("root").path("labels").path("service").asText()).isEqualTo("cache");
            }
        } finally {
            load.shutdownNow();
        }
    }

    /** Replaces {@code from} (which must occur) with {@code to}: a rewrite that stops matching fails the test. */
    private static String rewrite(String text, String from, String to) {
        assertThat(text).as("the shipped file contains %s", from).contains(from);
        return text.replace(from, to);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new TreeMap<>();
        node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static JsonNode query(String prom, String expr) throws IOException, InterruptedException {
        return get(prom + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))
                .path("data").path("result");
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

}
