package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.alerts.AlertEngine;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code --traffic} tour on a hand-moved clock: the real demo (Jetty, H2, the bundled redis-server, the pack
 * in process, the shipped alertmanager.yml) gets the tour's requests one round per 15 simulated seconds, the alert
 * clock moves 15 s per round, and the tour's nine minutes take seconds. The error burst, the slow phase and the
 * Redis outage each fire their alert and every alert resolves; the outage is one incident whose root is the cache
 * with the orders service's alerts as symptoms, paged once to the webhook, then resolved.
 */
class TrafficTourTest {

    private static final Duration STEP = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tourFiresAndResolvesAnIncidentWithItsSymptoms() throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-02T10:00:00Z"));
        try (WebhookReceiver hook = new WebhookReceiver();
             DemoService demo = DemoService.start(DemoConfig.builder().port(0).alertClock(clock)
                     .webhookUrl(hook.url("/hook")).build())) {
            assertThat(demo.embeddedRedis()).as("the bundled redis-server runs here").isNotNull();
            TrafficSchedule tour = TrafficSchedule.tour();
            TrafficGenerator traffic = new TrafficGenerator(URI.create("http://127.0.0.1:" + demo.port() + "/"), tour,
                    demo.faults(), demo.embeddedRedis());
            Map<String, Duration> firedAt = new LinkedHashMap<>();
            Map<String, Duration> resolvedAt = new LinkedHashMap<>();
            JsonNode outage = null;
            boolean redisDown = false;
            // A warm JVM first: at one round per 15 s, a cold first query would weigh 15 times what it does live.
            for (int i = 0; i < 5; i++) {
                traffic.step(Duration.ZERO, true);
            }
            demo.evaluateAlerts();   // the rules' first sample: what came before is no part of any rate
            for (Duration t = Duration.ZERO; t.compareTo(tour.length()) < 0; t = t.plus(STEP)) {
                traffic.step(t, true);
                boolean down = tour.at(t).redisDown();
                if (down != redisDown) {
                    redisDown = down;
                    // The readiness check runs every 2 s of real time (and Lettuce reconnects on its own): wait for it.
                    int expected = down ? 0 : 1;
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                            PrometheusScrape.parse(RawHttp.get(demo.port(), "/metrics").body())
                                    .value("health_status", "check", "redis", "group", "readiness") == expected);
                }
                clock.advance(STEP);
                demo.evaluateAlerts();
                Set<String> firing = new LinkedHashSet<>();
                for (AlertEngine.Alert alert : demo.alertEngine().alerts()) {
                    if (alert.state() == AlertEngine.State.FIRING) {
                        firing.add(alert.name());
                        firedAt.putIfAbsent(alert.name(), t.plus(STEP));
                    }
                }
                for (String name : firedAt.keySet()) {
                    if (!firing.contains(name)) {
                        resolvedAt.putIfAbsent(name, t.plus(STEP));
                    }
                }
                JsonNode incidents = JSON.readTree(RawHttp.get(demo.port(), "/alerts/api/vigil/incidents").body());
                for (JsonNode incident : incidents) {
                    if (incident.path("root").path("labels").path("alertname").asText().equals("OrdersCacheDown")
                            && incident.path("symptoms").size() >= 2) {
                        outage = incident;
                    }
                }
            }
            traffic.close();

            assertThat(firedAt).containsKeys("VigilHttpHighErrorRatio", "VigilHttpHighLatencyP95", "OrdersCacheDown",
                    "VigilRedisDown", "VigilHealthCheckDown");
            assertThat(resolvedAt.keySet()).as("every alert resolved within the tour; fired at %s", firedAt)
                    .containsAll(firedAt.keySet());
            // Nothing of the tour is still active (the loaded test machine may have its CPU alert pending: not ours).
            assertThat(demo.alertEngine().alerts()).noneMatch(a -> a.state() == AlertEngine.State.FIRING
                    || firedAt.containsKey(a.name()));
            // Each fault's alert fires during or just after its phase (the tour's "for" is 1 minute).
            assertThat(firedAt.get("VigilHttpHighErrorRatio")).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120));
            assertThat(firedAt.get("VigilHttpHighLatencyP95")).isBetween(Duration.ofSeconds(120), Duration.ofSeconds(210));
            assertThat(firedAt.get("OrdersCacheDown")).isBetween(Duration.ofSeconds(165), Duration.ofSeconds(240));

            // The outage as one incident: root the cache, the orders service's Redis alerts its symptoms.
            assertThat(outage).as("an incident rooted at OrdersCacheDown with symptoms").isNotNull();
            assertThat(outage.path("root").path("labels").path("service").asText()).isEqualTo("cache");
            List<String> symptoms = new ArrayList<>();
            outage.path("symptoms").forEach(s -> symptoms.add(s.path("labels").path("alertname").asText()
                    + "/" + s.path("labels").path("service").asText()));
            assertThat(symptoms).contains("VigilRedisDown/orders", "VigilHealthCheckDown/orders");

            // The page: the root's firing notification went to on-call at once (its symptoms fire later and page
            // nobody); its resolution names the symptoms the incident gathered meanwhile.
            await().atMost(Duration.ofSeconds(30)).until(() -> hook.received().stream().anyMatch(m ->
                    isFor(m, "OrdersCacheDown", "resolved")));
            JsonNode page = hook.received().stream().filter(m -> isFor(m, "OrdersCacheDown", "firing")).findFirst()
                    .orElseThrow();
            assertThat(page.path("receiver").asText()).isEqualTo("oncall");
            assertThat(page.path("commonLabels").path("service").asText()).isEqualTo("cache");
            JsonNode resolved = hook.received().stream().filter(m -> isFor(m, "OrdersCacheDown", "resolved"))
                    .findFirst().orElseThrow();
            assertThat(resolved.path("incident").path("root").path("labels").path("alertname").asText())
                    .as("%s", resolved).isEqualTo("OrdersCacheDown");
            assertThat(resolved.path("incident").path("symptoms").toString()).contains("VigilRedisDown");
            assertThat(hook.received().stream().filter(m -> isFor(m, "VigilRedisDown", "firing")))
                    .as("symptoms do not page on their own").isEmpty();
            assertThat(hook.received().stream().anyMatch(m -> isFor(m, "VigilHttpHighErrorRatio", "firing"))).isTrue();
        }
    }

    private static boolean isFor(JsonNode message, String alertname, String status) {
        return message.path("status").asText().equals(status)
                && message.path("commonLabels").path("alertname").asText().equals(alertname);
    }

    /** A clock the test moves by hand. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
