package io.vigil.alerts;

import io.vigil.alerts.testkit.RealTools;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Route;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus 2.42 (Debian's), started here with a rule that fires at once and Vigil as its Alertmanager
 * (path prefix and all): its alert reaches Vigil's API, the engine groups it, and Vigil's webhook channel delivers
 * it to a receiver in the test.
 */
class PrometheusToVigilTest {

    @Test
    void prometheusAlertReachesVigilAndItsWebhook(@TempDir Path dir) throws Exception {
        String prometheus = RealTools.require("prometheus");
        Route route = Route.builder().receiver("ops").groupBy("alertname").groupWait(Duration.ofSeconds(1))
                .groupInterval(Duration.ofSeconds(5)).repeatInterval(Duration.ofHours(1)).build();
        CorrelationEngine engine = CorrelationEngine.builder(route).build();
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.enqueue(new MockResponse().setResponseCode(200));
            receiver.start();
            try (AlertManager manager = AlertManager.builder(new SimpleMeterRegistry())
                    .channel(NotificationChannel.webhook("hook", receiver.url("/hook").uri()).build())
                    .route("ops", "hook").stateDirectory(dir.resolve("state")).build();
                 ApiServer vigil = new ApiServer(AlertsServlet.builder(engine).route(route).alertManager(manager)
                         .tickInterval(Duration.ofMillis(200)).registry(new SimpleMeterRegistry()).build(), "/vigil/am")) {
                Files.writeString(dir.resolve("rules.yml"), """
                        groups:
                          - name: vigil-test
                            interval: 1s
                            rules:
                              - alert: AlwaysFiring
                                expr: vector(1)
                                labels:
                                  severity: page
                                annotations:
                                  summary: fires at once
                        """);
                Files.writeString(dir.resolve("prometheus.yml"), """
                        global:
                          evaluation_interval: 1s
                        rule_files: [rules.yml]
                        alerting:
                          alertmanagers:
                            - api_version: v2
                              path_prefix: /vigil/am
                              static_configs:
                                - targets: ["127.0.0.1:%d"]
                        """.formatted(vigil.port()));
                int port = RealTools.freePort();
                try (RealTools.Server server = new RealTools.Server(List.of(prometheus,
                        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port), dir.resolve("prometheus.log"))) {
                    Instant deadline = Instant.now().plusSeconds(90);
                    JsonNode alerts = AlertsServletTest.json(vigil.get("/api/v2/alerts"));
                    while (alerts.isEmpty()) {
                        assertThat(server.alive()).as(server.log()).isTrue();
                        assertThat(Instant.now()).as("alert from Prometheus within 90 s\n" + server.log())
                                .isBefore(deadline);
                        Thread.sleep(250);
                        alerts = AlertsServletTest.json(vigil.get("/api/v2/alerts"));
                    }
                    JsonNode alert = alerts.get(0);
                    assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("AlwaysFiring");
                    assertThat(alert.path("labels").path("severity").asText()).isEqualTo("page");
                    assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("fires at once");
                    assertThat(alert.path("generatorURL").asText()).contains("/graph?g0.expr=vector%281%29");
                    assertThat(alert.path("receivers").toString()).isEqualTo("[{\"name\":\"ops\"}]");

                    RecordedRequest delivered = receiver.takeRequest(60, TimeUnit.SECONDS);
                    assertThat(delivered).as("webhook delivery within 60 s").isNotNull();
                    JsonNode payload = AlertsServletTest.JSON.readTree(delivered.getBody().readUtf8());
                    assertThat(payload.path("receiver").asText()).isEqualTo("ops");
                    assertThat(payload.path("status").asText()).isEqualTo("firing");
                    assertThat(payload.path("alerts").get(0).path("labels").path("alertname").asText())
                            .isEqualTo("AlwaysFiring");
                    assertThat(payload.path("alerts").get(0).path("fingerprint").asText())
                            .isEqualTo(alert.path("fingerprint").asText());

                    // Prometheus re-sends every evaluation: still one alert, one incident with one notification.
                    Thread.sleep(2_000);
                    assertThat(AlertsServletTest.json(vigil.get("/api/v2/alerts"))).hasSize(1);
                    JsonNode incidents = AlertsServletTest.json(vigil.get("/api/vigil/incidents"));
                    assertThat(incidents).hasSize(1);
                    assertThat(incidents.get(0).path("notificationCount").asInt()).isEqualTo(1);
                    assertThat(receiver.getRequestCount()).isEqualTo(1);
                }
            }
        }
    }
}
