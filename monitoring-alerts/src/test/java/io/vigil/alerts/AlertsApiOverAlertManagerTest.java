package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.DependencyGraph;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AlertsServlet#builder(AlertManager)}: the API over the correlation engine an {@code alertmanager.yml}
 * configured, so that alerts Prometheus posts and those of an in-process {@link AlertEngine} meet in one engine.
 * Receivers and {@code config.original} come from the file; the manager's cycle ticks the engine, and the incident
 * endpoints still list the notifications it emitted.
 */
class AlertsApiOverAlertManagerTest {

    @Test
    void servesTheManagersEngineAndLogsWhatItsCycleEmits(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T00:00:00Z"));
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.enqueue(new MockResponse().setResponseCode(200));
            receiver.start();
            String yaml = AlertmanagerYamlTest.resource("pipeline.yml")
                    .replace("${WEBHOOK}", receiver.url("/hook").toString());
            Path config = Files.writeString(dir.resolve("alertmanager.yml"), yaml);
            try (AlertManager manager = AlertManager.builder(new SimpleMeterRegistry()).alertmanagerConfig(config)
                    .dependencies(DependencyGraph.builder().dependsOn("orders", "orders-db").build())
                    .clock(clock).tickInterval(Duration.ZERO).stateDirectory(dir.resolve("state")).build();
                 ApiServer api = new ApiServer(AlertsServlet.builder(manager).clock(clock)
                         .registry(new SimpleMeterRegistry()).build(), "/alerts")) {
                assertThat(AlertsServletTest.json(api.get("/api/v2/receivers")).toString())
                        .isEqualTo("[{\"name\":\"ops\"}]");
                assertThat(AlertsServletTest.json(api.get("/api/v2/status")).path("config").path("original").asText())
                        .isEqualTo(yaml);
                assertThat(api.post("/api/v2/alerts", """
                        [{"labels":{"alertname":"DbDown","service":"orders-db","severity":"critical"}}]""").status())
                        .isEqualTo(200);
                clock.advance(Duration.ofSeconds(31));   // the file's group_wait is 30s
                manager.tick();

                RecordedRequest delivered = receiver.takeRequest(30, TimeUnit.SECONDS);
                assertThat(delivered).as("the manager's cycle delivered the group").isNotNull();
                assertThat(delivered.getBody().readUtf8()).contains("\"alertname\":\"DbDown\"");
                JsonNode incidents = AlertsServletTest.json(api.get("/api/vigil/incidents"));
                assertThat(incidents).hasSize(1);
                assertThat(incidents.get(0).path("notificationCount").asInt()).isEqualTo(1);
                JsonNode detail = AlertsServletTest.json(api.get("/api/vigil/incidents/"
                        + incidents.get(0).path("id").asText()));
                assertThat(detail.path("notifications").get(0).path("receiver").asText()).isEqualTo("ops");
            }
        }
    }

    @Test
    void aManagerWithoutConfigurationHasNoEngineToServe(@TempDir Path dir) {
        try (AlertManager manager = AlertManager.builder(new SimpleMeterRegistry())
                .channel(NotificationChannel.log("log")).route("ops", "log").tickInterval(Duration.ZERO)
                .stateDirectory(dir).build()) {
            assertThatThrownBy(() -> AlertsServlet.builder(manager)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no alertmanagerConfig");
        }
    }
}
