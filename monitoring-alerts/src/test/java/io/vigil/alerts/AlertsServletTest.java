package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.DependencyGraph;
import io.vigil.core.alert.InhibitRule;
import io.vigil.core.alert.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's endpoints over embedded Jetty, on a fake clock: shapes, defaults, filters, silences, incidents. */
class AlertsServletTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final Route route = Route.builder().receiver("ops").groupBy("alertname")
            .route(Route.builder().matchers("team=db").receiver("db-oncall").build()).build();
    CorrelationEngine engine;
    ApiServer server;

    @BeforeEach
    void start() {
        engine = CorrelationEngine.builder(route)
                .inhibitRule(InhibitRule.builder().sourceMatchers("severity=critical").targetMatchers("severity=warning")
                        .equal("instance").build())
                .dependencies(DependencyGraph.builder().dependsOn("checkout", "orders-db").build())
                .resolveTimeout(Duration.ofMinutes(5))
                .build();
        server = new ApiServer(AlertsServlet.builder(engine).route(route).clock(clock).configText("route: {}\n")
                .registry(new SimpleMeterRegistry()).build(), "/am");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static JsonNode json(ApiServer.Reply reply) {
        try {
            return JSON.readTree(reply.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + reply.body(), e);
        }
    }

    static List<String> names(JsonNode alerts) {
        List<String> out = new ArrayList<>();
        alerts.forEach(a -> out.add(a.path("labels").path("alertname").asText()));
        return out;
    }

    @Test
    void postedAlertIsShownInAlertmanagersShapeWithResolveTimeoutAsEnd() {
        ApiServer.Reply post = server.post("/api/v2/alerts",
                "[{\"labels\":{\"alertname\":\"HighLatency\",\"instance\":\"a\"},\"annotations\":{\"summary\":\"slow\"},"
                        + "\"generatorURL\":\"http://prom/graph\"}]");
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.body()).isEmpty();

        ApiServer.Reply get = server.get("/api/v2/alerts");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.contentType()).startsWith("application/json");
        JsonNode alert = json(get).get(0);
        assertThat(json(get)).hasSize(1);
        assertThat(alert.fieldNames()).toIterable().containsExactly("annotations", "endsAt", "fingerprint", "receivers",
                "startsAt", "status", "updatedAt", "generatorURL", "labels");
        assertThat(alert.path("startsAt").asText()).isEqualTo("2026-12-02T10:00:00.000Z");
        assertThat(alert.path("endsAt").asText()).isEqualTo("2026-12-02T10:05:00.000Z");
        assertThat(alert.path("updatedAt").asText()).isEqualTo("2026-12-02T10:00:00.000Z");
        assertThat(alert.path("receivers").toString()).isEqualTo("[{\"name\":\"ops\"}]");
        assertThat(alert.path("status").toString())
                .isEqualTo("{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"}");
        assertThat(alert.path("annotations").toString()).isEqualTo("{\"summary\":\"slow\"}");
        assertThat(alert.path("labels").toString()).isEqualTo("{\"alertname\":\"HighLatency\",\"instance\":\"a\"}");
        // Recorded from Alertmanager 0.25 for these labels (core's fingerprint tests).
        assertThat(alert.path("fingerprint").asText()).hasSize(16);
    }

    @Test
    void reSentAlertIsOneAlertAndExpiresAtItsEndsAt() {
        String body = "[{\"labels\":{\"alertname\":\"Down\"},\"startsAt\":\"2026-12-02T10:00:00Z\","
                + "\"endsAt\":\"2026-12-02T10:04:00Z\"}]";
        server.post("/api/v2/alerts", body);
        clock.advance(Duration.ofMinutes(1));
        server.post("/api/v2/alerts", body.replace("10:04:00", "10:05:00"));
        JsonNode alerts = json(server.get("/api/v2/alerts"));
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("endsAt").asText()).isEqualTo("2026-12-02T10:05:00.000Z");
        assertThat(alerts.get(0).path("updatedAt").asText()).isEqualTo("2026-12-02T10:01:00.000Z");

        clock.advance(Duration.ofMinutes(3).plusSeconds(59));
        assertThat(json(server.get("/api/v2/alerts"))).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(json(server.get("/api/v2/alerts"))).isEmpty();
    }

    @Test
    void startsAtDefaultsToEndsAtWhenOnlyThatIsGiven() {
        server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Late\"},\"endsAt\":\"2026-12-02T12:30:00+01:00\"}]");
        JsonNode alert = json(server.get("/api/v2/alerts")).get(0);
        assertThat(alert.path("startsAt").asText()).isEqualTo("2026-12-02T11:30:00.000Z");
        assertThat(alert.path("endsAt").asText()).isEqualTo("2026-12-02T11:30:00.000Z");
        // An alert that already ended is taken but, resolved, not listed (as Alertmanager).
        server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Over\"},\"endsAt\":\"2026-12-02T09:00:00Z\"}]");
        assertThat(names(json(server.get("/api/v2/alerts")))).containsExactly("Late");
    }

    @Test
    void filtersByMatchersStateAndReceiver() {
        server.post("/api/v2/alerts", "["
                + "{\"labels\":{\"alertname\":\"DbDown\",\"team\":\"db\",\"severity\":\"critical\",\"instance\":\"db1\"}},"
                + "{\"labels\":{\"alertname\":\"DbSlow\",\"team\":\"db\",\"severity\":\"warning\",\"instance\":\"db1\"}},"
                + "{\"labels\":{\"alertname\":\"Disk\",\"severity\":\"warning\",\"instance\":\"web1\"}}]");
        String silence = server.post("/api/v2/silences", "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"Disk\","
                + "\"isRegex\":false}],\"startsAt\":\"2026-12-02T10:00:00Z\",\"endsAt\":\"2026-12-02T12:00:00Z\","
                + "\"createdBy\":\"alice\",\"comment\":\"known\"}").body();
        String silenceId = json(new ApiServer.Reply(200, silence, "")).path("silenceID").asText();

        assertThat(names(json(server.get("/api/v2/alerts")))).containsExactlyInAnyOrder("DbDown", "DbSlow", "Disk");
        assertThat(names(json(server.get("/api/v2/alerts?filter=team%3D%22db%22"))))
                .containsExactlyInAnyOrder("DbDown", "DbSlow");
        assertThat(names(json(server.get("/api/v2/alerts?filter=alertname%3D~%22Db.*%22&filter=severity!%3Dcritical"))))
                .containsExactly("DbSlow");
        assertThat(names(json(server.get("/api/v2/alerts?silenced=false")))).containsExactlyInAnyOrder("DbDown", "DbSlow");
        assertThat(names(json(server.get("/api/v2/alerts?inhibited=false")))).containsExactlyInAnyOrder("DbDown", "Disk");
        assertThat(names(json(server.get("/api/v2/alerts?active=false")))).containsExactlyInAnyOrder("DbSlow", "Disk");
        assertThat(names(json(server.get("/api/v2/alerts?receiver=db-.*")))).containsExactlyInAnyOrder("DbDown", "DbSlow");

        JsonNode disk = json(server.get("/api/v2/alerts?filter=alertname%3DDisk")).get(0);
        assertThat(disk.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(disk.path("status").path("silencedBy").get(0).asText()).isEqualTo(silenceId);
        JsonNode slow = json(server.get("/api/v2/alerts?filter=alertname%3DDbSlow")).get(0);
        JsonNode down = json(server.get("/api/v2/alerts?filter=alertname%3DDbDown")).get(0);
        assertThat(slow.path("status").path("inhibitedBy").get(0).asText()).isEqualTo(down.path("fingerprint").asText());
        assertThat(down.path("receivers").toString()).isEqualTo("[{\"name\":\"db-oncall\"}]");
    }

    @Test
    void groupsListTheirAlertsLabelsAndReceiver() {
        server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"A\",\"instance\":\"1\"}},"
                + "{\"labels\":{\"alertname\":\"A\",\"instance\":\"2\"}},{\"labels\":{\"alertname\":\"B\",\"team\":\"db\"}}]");
        JsonNode groups = json(server.get("/api/v2/alerts/groups"));
        assertThat(groups).hasSize(2);
        JsonNode a = groups.get(0).path("labels").path("alertname").asText().equals("A") ? groups.get(0) : groups.get(1);
        assertThat(a.fieldNames()).toIterable().containsExactly("alerts", "labels", "receiver");
        assertThat(a.path("alerts")).hasSize(2);
        assertThat(a.path("receiver").toString()).isEqualTo("{\"name\":\"ops\"}");
        assertThat(json(server.get("/api/v2/alerts/groups?receiver=db-oncall"))).hasSize(1);
        assertThat(json(server.get("/api/v2/alerts/groups?filter=instance%3D%222%22")).get(0).path("alerts")).hasSize(1);
    }

    @Test
    void silenceLifecycleAsAlertmanager() {
        ApiServer.Reply created = server.post("/api/v2/silences", "{\"matchers\":[{\"name\":\"service\",\"value\":\"db.*\","
                + "\"isRegex\":true,\"isEqual\":true}],\"startsAt\":\"2026-12-02T09:00:00Z\","
                + "\"endsAt\":\"2026-12-02T11:00:00Z\",\"createdBy\":\"alice\",\"comment\":\"maintenance\"}");
        assertThat(created.status()).isEqualTo(200);
        String id = json(created).path("silenceID").asText();
        assertThat(id).matches("[0-9a-f-]{36}");

        JsonNode silence = json(server.get("/api/v2/silence/" + id));
        assertThat(silence.fieldNames()).toIterable().containsExactly("id", "status", "updatedAt", "comment", "createdBy",
                "endsAt", "matchers", "startsAt");
        assertThat(silence.path("status").path("state").asText()).isEqualTo("active");
        // Starts no earlier than now, as Alertmanager.
        assertThat(silence.path("startsAt").asText()).isEqualTo("2026-12-02T10:00:00.000Z");
        assertThat(silence.path("matchers").toString())
                .isEqualTo("[{\"isEqual\":true,\"isRegex\":true,\"name\":\"service\",\"value\":\"db.*\"}]");
        assertThat(json(server.get("/api/v2/silences?filter=service%3D~%22db.*%22"))).hasSize(1);
        assertThat(json(server.get("/api/v2/silences?filter=service%3Dother"))).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(server.delete("/api/v2/silence/" + id).status()).isEqualTo(200);
        JsonNode expired = json(server.get("/api/v2/silence/" + id));
        assertThat(expired.path("status").path("state").asText()).isEqualTo("expired");
        assertThat(expired.path("endsAt").asText()).isEqualTo("2026-12-02T10:01:00.000Z");
        assertThat(expired.path("updatedAt").asText()).isEqualTo("2026-12-02T10:01:00.000Z");

        assertThat(server.get("/api/v2/silence/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(server.delete("/api/v2/silence/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        ApiServer.Reply badId = server.get("/api/v2/silence/xyz");
        assertThat(badId.status()).isEqualTo(422);
        assertThat(badId.body()).isEqualTo("{\"code\":601,\"message\":\"silenceID in path must be of type uuid: \\\"xyz\\\"\"}");
    }

    @Test
    void updatingAnActiveSilenceReplacesIt() {
        String body = "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}],\"startsAt\":\"2026-12-02T10:00:00Z\","
                + "\"endsAt\":\"2026-12-02T11:00:00Z\",\"createdBy\":\"alice\",\"comment\":\"x\"}";
        String id = json(server.post("/api/v2/silences", body)).path("silenceID").asText();
        ApiServer.Reply unknown = server.post("/api/v2/silences",
                body.replace("{\"matchers\"", "{\"id\":\"00000000-0000-0000-0000-000000000001\",\"matchers\""));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("\"silence not found\"\n");
        ApiServer.Reply updated = server.post("/api/v2/silences",
                body.replace("{\"matchers\"", "{\"id\":\"" + id + "\",\"matchers\"").replace("11:00", "12:00"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(json(server.get("/api/v2/silences"))).hasSizeBetween(1, 2);
    }

    @Test
    void statusAndReceivers() {
        JsonNode status = json(server.get("/api/v2/status"));
        assertThat(status.fieldNames()).toIterable().containsExactly("cluster", "config", "uptime", "versionInfo");
        assertThat(status.path("cluster").toString()).isEqualTo("{\"peers\":[],\"status\":\"disabled\"}");
        assertThat(status.path("config").path("original").asText()).isEqualTo("route: {}\n");
        assertThat(status.path("uptime").asText()).isEqualTo("2026-12-02T10:00:00.000Z");
        assertThat(status.path("versionInfo").fieldNames()).toIterable()
                .containsExactly("branch", "buildDate", "buildUser", "goVersion", "revision", "version");
        assertThat(status.path("versionInfo").path("version").asText()).isEqualTo("0.25.0");
        assertThat(status.path("versionInfo").path("revision").asText()).startsWith("vigil-");
        assertThat(server.get("/api/v2/receivers").body()).isEqualTo("[{\"name\":\"ops\"},{\"name\":\"db-oncall\"}]\n");
    }

    @Test
    void incidentsListRootAndSymptomsAndTakeAcknowledgements() {
        server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"DbDown\",\"service\":\"orders-db\"}}]");
        clock.advance(Duration.ofSeconds(30));
        server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Errors\",\"service\":\"checkout\"}}]");

        JsonNode incidents = json(server.get("/api/vigil/incidents"));
        assertThat(incidents).hasSize(1);
        JsonNode incident = incidents.get(0);
        assertThat(incident.path("root").path("labels").path("alertname").asText()).isEqualTo("DbDown");
        assertThat(names(incident.path("symptoms"))).containsExactly("Errors");
        assertThat(incident.path("acknowledged").asBoolean()).isFalse();
        String id = incident.path("id").asText();
        assertThat(id).isEqualTo(incident.path("root").path("fingerprint").asText() + "@"
                + T0.toEpochMilli());
        // The symptom is suppressed in Alertmanager's view, inhibited by its root.
        JsonNode errors = json(server.get("/api/v2/alerts?filter=alertname%3DErrors")).get(0);
        assertThat(errors.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(errors.path("status").path("inhibitedBy").get(0).asText())
                .isEqualTo(incident.path("root").path("fingerprint").asText());

        String encoded = id.replace("@", "%40");
        ApiServer.Reply ack = server.post("/api/vigil/incidents/" + encoded + "/ack", "{\"by\":\"alice\"}");
        assertThat(ack.status()).isEqualTo(200);
        assertThat(json(ack).path("acknowledgedBy").asText()).isEqualTo("alice");
        JsonNode detail = json(server.get("/api/vigil/incidents/" + encoded));
        assertThat(detail.path("acknowledged").asBoolean()).isTrue();
        assertThat(detail.path("acknowledgedBy").asText()).isEqualTo("alice");
        assertThat(detail.path("notifications")).isEmpty();
        assertThat(detail.path("escalation").get(0).path("key").asText()).isEqualTo("ops/{}:{alertname=\"DbDown\"}");

        assertThat(server.get("/api/vigil/incidents/nope").status()).isEqualTo(404);
        assertThat(server.post("/api/vigil/incidents/nope/ack", "").status()).isEqualTo(404);
        assertThat(server.post("/api/vigil/incidents/" + encoded + "/ack", "{\"user\":\"x\"}").status()).isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethods() {
        assertThat(server.get("/api/v2/nothing").status()).isEqualTo(404);
        assertThat(server.delete("/api/v2/alerts").status()).isEqualTo(405);
        assertThat(server.post("/api/v2/status", "{}").status()).isEqualTo(405);
    }
}
