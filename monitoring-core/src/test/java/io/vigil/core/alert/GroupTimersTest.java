package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.vigil.core.alert.Timeline.T0;
import static io.vigil.core.alert.Timeline.at;
import static io.vigil.core.alert.Timeline.m;
import static io.vigil.core.alert.Timeline.names;
import static io.vigil.core.alert.Timeline.s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aggregation-group timers on a fake clock, with Alertmanager's defaults (group_wait 30 s, group_interval 5 min,
 * repeat_interval 4 h) and the semantics of its {@code dispatch/dispatch.go} (aggrGroup) and
 * {@code notify} DedupStage ({@code needsUpdate}).
 */
class GroupTimersTest {

    private static final Instant FAR = T0.plus(Duration.ofDays(30));

    /** A firing alert as Prometheus sends it: with an end far enough ahead that it does not time out here. */
    static Alert firing(String alertname, String instance, Duration startOffset) {
        return Alert.builder().label("alertname", alertname).label("instance", instance)
                .startsAt(at(startOffset)).endsAt(FAR).build();
    }

    static Alert resolved(Alert alert, Duration endOffset) {
        return alert.withEndsAt(at(endOffset));
    }

    private static Timeline timeline(boolean sendResolved) {
        return new Timeline(CorrelationEngine.builder(Route.builder().receiver("team").groupBy("alertname").build())
                .defaultSendResolved(sendResolved).build());
    }

    @Test
    void firstNotificationAfterGroupWaitThenChangesEveryGroupIntervalThenRepeatInterval() {
        Timeline t = timeline(true);
        t.receive(firing("Down", "a1", s(0)));
        assertThat(t.advanceTo(s(29))).isEmpty();
        List<Notification> first = t.advanceTo(s(30));
        assertThat(first).hasSize(1);
        assertThat(first.get(0).receiver()).isEqualTo("team");
        assertThat(first.get(0).groupKey()).isEqualTo("{}:{alertname=\"Down\"}");
        assertThat(names(first.get(0).firing())).containsExactly("a1");
        assertThat(first.get(0).firing().get(0).endsAt()).isEmpty(); // firing alerts carry no end, as in Alertmanager
        assertThat(first.get(0).sequence()).isEqualTo(1);

        t.advanceTo(m(1));
        t.receive(firing("Down", "a2", m(1)));
        assertThat(t.advanceTo(Duration.ofSeconds(5 * 60 + 29))).as("a new alert waits for the group_interval flush").isEmpty();
        List<Notification> second = t.advanceTo(Duration.ofSeconds(5 * 60 + 30));
        assertThat(second).hasSize(1);
        assertThat(names(second.get(0).firing())).containsExactly("a1", "a2");
        assertThat(second.get(0).sequence()).isEqualTo(2);

        // Unchanged: flushes every 5 min notify nothing until strictly more than repeat_interval has passed since the
        // last notification (5m30s). The flush at 4h05m30s is exactly 4 h later and does not repeat
        // (DedupStage: entry.Timestamp.Before(now - repeat)); the next one, at 4h10m30s, does (Alertmanager
        // issue #676: repeat_interval 5m with group_interval 5m repeats every 10 min).
        assertThat(t.advanceTo(Duration.ofSeconds(4 * 3600 + 5 * 60 + 30))).isEmpty();
        List<Notification> repeat = t.advanceTo(Duration.ofSeconds(4 * 3600 + 10 * 60 + 30));
        assertThat(repeat).hasSize(1);
        assertThat(names(repeat.get(0).firing())).containsExactly("a1", "a2");
        assertThat(repeat.get(0).sequence()).isEqualTo(3);
        assertThat(t.sendTimes()).containsExactly(s(30), Duration.ofSeconds(330), Duration.ofSeconds(4 * 3600 + 630));
    }

    @Test
    void resolvedAlertsAreSentOnceThenLeaveTheGroup() {
        Timeline t = timeline(true);
        Alert a = firing("Down", "a", s(0));
        Alert b = firing("Down", "b", s(0));
        t.receive(a, b);
        assertThat(t.advanceTo(s(30))).hasSize(1);

        t.advanceTo(m(2));
        t.receive(resolved(b, m(2)));
        List<Notification> update = t.advanceTo(Duration.ofSeconds(330));
        assertThat(update).hasSize(1);
        assertThat(names(update.get(0).firing())).containsExactly("a");
        assertThat(names(update.get(0).resolved())).containsExactly("b");
        assertThat(update.get(0).resolved().get(0).endsAt()).contains(at(m(2)));
        assertThat(t.engine.groups().get(0).alerts()).as("b left the group after being sent").hasSize(1);

        assertThat(t.advanceTo(Duration.ofSeconds(630))).isEmpty();
        t.advanceTo(m(12));
        t.receive(resolved(a, m(12)));
        List<Notification> allResolved = t.advanceTo(Duration.ofSeconds(930));
        assertThat(allResolved).hasSize(1);
        assertThat(allResolved.get(0).allResolved()).isTrue();
        assertThat(names(allResolved.get(0).resolved())).containsExactly("a");
        assertThat(t.engine.groups()).as("an empty group is removed").isEmpty();

        // A new alert starts a new group: group_wait again; the sequence continues from the notification log.
        t.advanceTo(m(20));
        t.receive(firing("Down", "c", m(20)));
        assertThat(t.advanceTo(Duration.ofSeconds(20 * 60 + 29))).isEmpty();
        List<Notification> again = t.advanceTo(Duration.ofSeconds(20 * 60 + 30));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).sequence()).isEqualTo(4);
    }

    @Test
    void withoutSendResolvedOnlyTheAllResolvedNotificationIsEmitted() {
        Timeline t = timeline(false);
        Alert a = firing("Down", "a", s(0));
        Alert b = firing("Down", "b", s(0));
        t.receive(a, b);
        t.advanceTo(s(30));
        t.advanceTo(m(2));
        t.receive(resolved(b, m(2)));
        assertThat(t.advanceTo(m(12))).as("b's resolution alone is not news to this receiver").isEmpty();
        t.receive(resolved(a, m(12)));
        List<Notification> last = t.advanceTo(m(16));
        assertThat(last).hasSize(1);
        assertThat(last.get(0).allResolved()).isTrue();
        assertThat(last.get(0).sendResolved()).isFalse();
    }

    @Test
    void anAlertThatResolvesWithinGroupWaitIsNeverSent() {
        Timeline t = timeline(true);
        Alert a = firing("Flap", "a", s(0));
        t.receive(a);
        t.advanceTo(s(10));
        t.receive(resolved(a, s(10)));
        assertThat(t.advanceTo(m(30))).isEmpty();
        assertThat(t.engine.groups()).isEmpty();
    }

    @Test
    void anAlertOlderThanGroupWaitFlushesAtOnce() {
        Timeline t = timeline(true);
        t.receive(firing("Old", "a", Duration.ofMinutes(-10)));
        List<Notification> now = t.advanceTo(s(0));
        assertThat(now).hasSize(1);
        assertThat(now.get(0).at()).isEqualTo(T0);
    }

    @Test
    void prometheusResendingAnUnchangedAlertDoesNotNotifyAgain() {
        Timeline t = timeline(true);
        Instant start = T0;
        for (int minute = 0; minute <= 60; minute++) {
            t.advanceTo(m(minute));
            // Prometheus re-sends firing alerts with endsAt = now + 4 * evaluation interval.
            t.engine.receive(Alert.builder().label("alertname", "Busy").startsAt(start).endsAt(t.now.plusSeconds(240)).build(), t.now);
        }
        assertThat(t.sendTimes()).containsExactly(s(30));
    }

    @Test
    void anOpenEndedAlertTimesOutAfterResolveTimeout() {
        Timeline t = timeline(true);
        t.receive(Alert.firing(T0, "alertname", "Silent"));
        assertThat(t.advanceTo(s(30))).hasSize(1);
        List<Notification> resolvedByTimeout = t.advanceTo(Duration.ofSeconds(330));
        assertThat(resolvedByTimeout).hasSize(1);
        assertThat(resolvedByTimeout.get(0).allResolved()).isTrue();
        assertThat(resolvedByTimeout.get(0).resolved().get(0).endsAt()).contains(T0.plus(m(5)));
    }

    @Test
    void idempotencyKeysAreDeterministicAndDistinct() {
        List<String> run1 = keysOfOneScenario();
        List<String> run2 = keysOfOneScenario();
        assertThat(run1).hasSize(3).doesNotHaveDuplicates().allMatch(k -> k.matches("[0-9a-f]{32}"));
        assertThat(run2).isEqualTo(run1);
    }

    private static List<String> keysOfOneScenario() {
        Timeline t = new Timeline(CorrelationEngine.builder(Route.builder().receiver("team").groupBy("alertname")
                .repeatInterval(m(10)).build()).build());
        t.receive(firing("Down", "a", s(0)));
        t.advanceTo(m(31)); // sent at 30 s, then repeats at 15m30s and 30m30s
        assertThat(t.sendTimes()).containsExactly(s(30), Duration.ofSeconds(930), Duration.ofSeconds(1830));
        return t.sent.stream().map(Notification::idempotencyKey).toList();
    }
}
