package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident endpoints over a real {@link AlertManager} with an escalation policy, both driven by hand on one
 * fake clock: the notification log, the escalation level climbing, and an acknowledgement through the API
 * stopping it.
 */
class AlertsApiEscalationTest {

    @Test
    void incidentShowsNotificationsEscalationAndTakesAck(@TempDir Path dir) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        Route route = Route.builder().receiver("db-oncall").groupBy("alertname").groupWait(Duration.ofSeconds(10))
                .build();
        CorrelationEngine engine = CorrelationEngine.builder(route).build();
        try (AlertManager manager = AlertManager.builder(new SimpleMeterRegistry())
                .channel(NotificationChannel.log("first")).channel(NotificationChannel.log("second"))
                .escalate("db-oncall", EscalationPolicy.builder().level(Duration.ZERO, "first")
                        .level(Duration.ofMinutes(15), "second").build())
                .clock(clock).tickInterval(Duration.ZERO).stateDirectory(dir).build()) {
            AlertsServlet servlet = AlertsServlet.builder(engine).route(route).alertManager(manager).clock(clock)
                    .tickInterval(Duration.ZERO).registry(new SimpleMeterRegistry()).build();
            try (ApiServer api = new ApiServer(servlet, "/am")) {
                api.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"DbDown\",\"service\":\"orders-db\"},"
                        + "\"endsAt\":\"2026-12-02T12:00:00Z\"}]");
                clock.advance(Duration.ofSeconds(10));
                servlet.tick();
                manager.tick();

                String id = AlertsServletTest.json(api.get("/api/vigil/incidents")).get(0).path("id").asText();
                String path = "/api/vigil/incidents/" + id.replace("@", "%40");
                JsonNode incident = AlertsServletTest.json(api.get(path));
                assertThat(incident.path("escalationLevel").asInt()).isZero();
                assertThat(incident.path("notifications")).hasSize(1);
                JsonNode sent = incident.path("notifications").get(0);
                assertThat(sent.path("receiver").asText()).isEqualTo("db-oncall");
                assertThat(sent.path("groupKey").asText()).isEqualTo("{}:{alertname=\"DbDown\"}");
                assertThat(sent.path("sequence").asInt()).isEqualTo(1);
                assertThat(sent.path("idempotencyKey").asText()).hasSize(32);

                clock.advance(Duration.ofMinutes(15));
                manager.tick();
                incident = AlertsServletTest.json(api.get(path));
                assertThat(incident.path("escalationLevel").asInt()).isEqualTo(1);
                assertThat(incident.path("escalation").get(0).path("acknowledged").asBoolean()).isFalse();

                assertThat(api.post(path + "/ack", "{\"by\":\"alice\"}").status()).isEqualTo(200);
                manager.tick();
                incident = AlertsServletTest.json(api.get(path));
                assertThat(incident.path("acknowledged").asBoolean()).isTrue();
                assertThat(incident.path("acknowledgedBy").asText()).isEqualTo("alice");
                assertThat(incident.path("escalation").get(0).path("acknowledged").asBoolean()).isTrue();
                assertThat(incident.path("escalation").get(0).path("key").asText())
                        .isEqualTo("db-oncall/{}:{alertname=\"DbDown\"}");
            }
        }
    }
}
