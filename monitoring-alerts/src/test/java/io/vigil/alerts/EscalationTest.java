package io.vigil.alerts;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Escalation on a fake clock: nobody sleeps; {@code tick()} runs each control cycle. */
class EscalationTest {

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MutableClock clock = new MutableClock(TestNotifications.T0);
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private AlertManager manager;

    private NotificationChannel recording(String name) {
        received.put(name, new CopyOnWriteArrayList<>());
        return new NotificationChannel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void send(AlertNotification n) {
                received.get(name).add(n.idempotencyKey() + " " + n.status().wireName());
            }
        };
    }

    private AlertManager start() {
        manager = AlertManager.builder(registry).stateDirectory(dir).clock(clock).tickInterval(Duration.ZERO)
                .channel(recording("slack")).channel(recording("pager")).channel(recording("lead"))
                .escalate("db-oncall", EscalationPolicy.builder()
                        .level(Duration.ZERO, "slack")
                        .level(Duration.ofMinutes(5), "pager")
                        .level(Duration.ofMinutes(10), "lead", "pager")
                        .repeatEvery(Duration.ofMinutes(30)).build())
                .build();
        return manager;
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    /** Runs a control cycle after moving the clock, then waits until every recorded delivery was sent. */
    private void at(Duration sinceStart) throws InterruptedException {
        Duration elapsed = Duration.between(TestNotifications.T0, clock.instant());
        clock.advance(sinceStart.minus(elapsed));
        manager.tick();
        RecordingReceiver.await("deliveries", 5_000, () -> manager.store().pending().isEmpty());
    }

    private List<String> sent(String channel) {
        return received.get(channel);
    }

    private double escalations(String level) {
        return PrometheusScrape.parse(registry.scrape()).value("alerts_escalations_total", "level", level);
    }

    @Test
    void levelsFollowTheirDelaysThenTheLastLevelIsRepeated() throws Exception {
        start();
        manager.submit(TestNotifications.firing("db-oncall", "DbDown", "inc", 1));
        at(Duration.ZERO);
        assertThat(sent("slack")).containsExactly("inc#L0 firing");
        assertThat(sent("pager")).isEmpty();

        at(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(sent("pager")).isEmpty();
        at(Duration.ofMinutes(5));
        assertThat(sent("pager")).containsExactly("inc#L1 firing");
        at(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(sent("lead")).isEmpty();
        at(Duration.ofMinutes(15));
        assertThat(sent("lead")).containsExactly("inc#L2 firing");
        assertThat(sent("pager")).containsExactly("inc#L1 firing", "inc#L2 firing");
        at(Duration.ofMinutes(45));
        at(Duration.ofMinutes(75));
        assertThat(sent("lead")).containsExactly("inc#L2 firing", "inc#L2#R1 firing", "inc#L2#R2 firing");
        assertThat(sent("slack")).containsExactly("inc#L0 firing");
        assertThat(escalations("1")).isEqualTo(1);
        assertThat(escalations("2")).isEqualTo(3);
    }

    @Test
    void acknowledgingStopsEscalationAndResolvingTellsOnlyTheLevelsReached() throws Exception {
        start();
        AlertNotification firing = TestNotifications.firing("db-oncall", "DbDown", "inc", 1);
        manager.submit(firing);
        at(Duration.ZERO);
        at(Duration.ofMinutes(5));
        assertThat(manager.acknowledge(AlertManager.incidentKey(firing), "alice")).isTrue();
        at(Duration.ofMinutes(6));
        assertThat(manager.store().acknowledgements()).extracting(Acknowledgement::by).containsExactly("alice");
        at(Duration.ofHours(3));
        assertThat(sent("lead")).isEmpty();
        assertThat(sent("pager")).containsExactly("inc#L1 firing");

        manager.submit(TestNotifications.resolved(firing, "inc-resolved"));
        at(Duration.ofHours(4));
        assertThat(sent("slack")).containsExactly("inc#L0 firing", "inc#resolved resolved");
        assertThat(sent("pager")).containsExactly("inc#L1 firing", "inc#resolved resolved");
        assertThat(sent("lead")).isEmpty();
        assertThat(manager.openIncidents()).isEmpty();
        assertThat(manager.store().escalations()).isEmpty();
        assertThat(manager.store().acknowledgements()).isEmpty();
    }

    @Test
    void resolvingEndsEscalationAndANewFiringOpensANewIncident() throws Exception {
        start();
        AlertNotification firing = TestNotifications.firing("db-oncall", "DbDown", "inc", 1);
        manager.submit(firing);
        at(Duration.ZERO);
        manager.submit(TestNotifications.resolved(firing, "inc-resolved"));
        at(Duration.ofMinutes(1));
        at(Duration.ofHours(2));
        assertThat(sent("slack")).containsExactly("inc#L0 firing", "inc#resolved resolved");
        assertThat(sent("pager")).isEmpty();

        manager.submit(TestNotifications.firing("db-oncall", "DbDown", "inc2", 1));
        at(Duration.ofHours(2));
        at(Duration.ofHours(2).plusMinutes(5));
        assertThat(sent("slack")).containsExactly("inc#L0 firing", "inc#resolved resolved", "inc2#L0 firing");
        assertThat(sent("pager")).containsExactly("inc2#L1 firing");
    }

    @Test
    void updatesRefreshTheContentWithoutPagingAgain() throws Exception {
        start();
        manager.submit(TestNotifications.firing("db-oncall", "DbDown", "inc", 1));
        at(Duration.ZERO);
        manager.submit(TestNotifications.firing("db-oncall", "DbDown", "inc-update", 3));
        at(Duration.ofMinutes(1));
        assertThat(sent("slack")).containsExactly("inc#L0 firing");
        assertThat(manager.openIncidents()).singleElement()
                .satisfies(s -> assertThat(s.notification().alerts()).hasSize(3));
    }

    /** Escalation state is durable: after a restart the next level comes on time, once; earlier ones not again. */
    @Test
    void aRestartResumesWhereEscalationStood() throws Exception {
        start();
        manager.submit(TestNotifications.firing("db-oncall", "DbDown", "inc", 1));
        at(Duration.ZERO);
        at(Duration.ofMinutes(5));
        manager.close();

        start();
        at(Duration.ofMinutes(14));
        assertThat(sent("lead")).isEmpty();
        at(Duration.ofMinutes(15));
        assertThat(sent("slack")).isEmpty(); // new channel instances: nothing re-sent after the restart
        assertThat(sent("pager")).containsExactly("inc#L2 firing");
        assertThat(sent("lead")).containsExactly("inc#L2 firing");
    }

    @Test
    void aPolicyNeedsLevelsAndKnownChannels() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EscalationPolicy.builder().build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AlertManager.builder(registry).stateDirectory(dir)
                        .channel(recording("a"))
                        .escalate("x", EscalationPolicy.builder().level(Duration.ZERO, "b").build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("escalation of 'x' names unknown channel 'b'; channels: [a]");
    }
}
