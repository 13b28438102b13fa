package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.Alert;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.DependencyGraph;
import io.vigil.core.alert.Notification;
import io.vigil.core.alert.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the correlation engine emits, delivered: core's Notification → AlertNotification → a real webhook. */
class CoreNotificationsTest {

    private static final Instant T0 = TestNotifications.T0;

    @TempDir
    Path dir;

    private static CorrelationEngine engine() {
        return CorrelationEngine.builder(Route.builder().receiver("ops").groupBy("alertname").build())
                .dependencies(DependencyGraph.builder().dependsOn("checkout", "orders-db").build())
                .defaultSendResolved(true).build();
    }

    @Test
    void anIncidentWithItsSymptomsReachesTheWebhook() throws Exception {
        CorrelationEngine engine = engine();
        engine.receive(Alert.firing(T0, "alertname", "DatabaseDown", "service", "orders-db"), T0);
        engine.receive(Alert.firing(T0.plusSeconds(5), "alertname", "HighLatency", "service", "checkout"),
                T0.plusSeconds(5));
        List<Notification> due = engine.tick(T0.plus(Duration.ofMinutes(1)));
        assertThat(due).hasSize(1);
        Notification core = due.get(0);

        AlertNotification n = CoreNotifications.from(core).orElseThrow();
        assertThat(n.receiver()).isEqualTo("ops");
        assertThat(n.groupKey()).isEqualTo(core.groupKey());
        assertThat(n.idempotencyKey()).isEqualTo(core.idempotencyKey());
        assertThat(n.alerts()).extracting(a -> a.labels().get("alertname")).containsExactly("DatabaseDown");
        assertThat(n.alerts().get(0).fingerprint()).isEqualTo(core.firing().get(0).fingerprint());
        assertThat(n.root().labels()).containsEntry("service", "orders-db");
        assertThat(n.symptoms()).extracting(a -> a.labels().get("service")).containsExactly("checkout");

        try (RecordingReceiver receiver = new RecordingReceiver(null);
             AlertManager manager = AlertManager.builder(new SimpleMeterRegistry()).stateDirectory(dir)
                     .tickInterval(Duration.ZERO)
                     .channel(NotificationChannel.webhook("hook", receiver.url()).build()).route("ops", "hook").build()) {
            assertThat(manager.submit(core)).isTrue();
            manager.tick();
            RecordingReceiver.await("the incident", 10_000, () -> receiver.accepted().size() == 1);
            JsonNode body = receiver.accepted().get(0).body();
            assertThat(receiver.accepted().get(0).key()).isEqualTo(core.idempotencyKey());
            assertThat(body.get("groupKey").asText()).isEqualTo(core.groupKey());
            assertThat(body.get("incident").get("root").get("labels").get("alertname").asText())
                    .isEqualTo("DatabaseDown");
            assertThat(body.get("incident").get("symptoms").get(0).get("labels").get("alertname").asText())
                    .isEqualTo("HighLatency");
        }
    }

    @Test
    void resolvedAlertsFollowFiringOnesAndAreLeftOutWithoutSendResolved() {
        Alert firing = Alert.firing(T0, "alertname", "A", "service", "x");
        Alert resolved = Alert.builder().label("alertname", "A").label("service", "y").startsAt(T0)
                .endsAt(T0.plusSeconds(60)).build();
        Notification both = new Notification("ops", "{}:{alertname=\"A\"}", Map.of("alertname", "A"),
                List.of(firing), List.of(resolved), List.of(), true, 3, "0123456789abcdef0123456789abcdef", T0);
        AlertNotification n = CoreNotifications.from(both).orElseThrow();
        assertThat(n.alerts()).extracting(AlertNotification.Alert::status)
                .containsExactly(AlertNotification.Status.FIRING, AlertNotification.Status.RESOLVED);
        assertThat(n.alerts().get(1).endsAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(n.commonLabels()).containsExactly(Map.entry("alertname", "A"));

        Notification noResolved = new Notification("ops", "g", Map.of(), List.of(firing), List.of(resolved),
                List.of(), false, 3, "k", T0);
        assertThat(CoreNotifications.from(noResolved).orElseThrow().alerts()).hasSize(1);
        Notification allResolved = new Notification("ops", "g", Map.of(), List.of(), List.of(resolved),
                List.of(), false, 4, "k2", T0);
        assertThat(CoreNotifications.from(allResolved)).isEmpty();
    }

    @Test
    void silencesSurviveARestart() {
        io.vigil.core.alert.Silence silence = engine().addSilence(io.vigil.core.alert.Silence.builder()
                .matchers("service=~\"orders-.*\"", "alertname!=\"Watchdog\"").startsAt(T0)
                .endsAt(T0.plusSeconds(3600)).createdBy("alice").comment("maintenance \"db\"").build(), T0);
        try (AlertManager manager = AlertManager.builder(new SimpleMeterRegistry()).stateDirectory(dir)
                .tickInterval(Duration.ZERO).channel(NotificationChannel.log("log")).route("ops", "log").build()) {
            manager.saveSilence(silence);
        }
        try (AlertManager manager = AlertManager.builder(new SimpleMeterRegistry()).stateDirectory(dir)
                .tickInterval(Duration.ZERO).channel(NotificationChannel.log("log")).route("ops", "log").build()) {
            assertThat(manager.silences()).containsExactly(silence);
            manager.deleteSilence(silence.id().orElseThrow());
            assertThat(manager.silences()).isEmpty();
        }
    }
}
