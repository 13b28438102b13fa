package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.vigil.core.alert.Timeline.T0;
import static io.vigil.core.alert.Timeline.at;
import static io.vigil.core.alert.Timeline.m;
import static io.vigil.core.alert.Timeline.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Inhibition ({@code inhibit/inhibit.go}) and silences ({@code silence/silence.go}) mute exactly what they match:
 * each test fires alerts that match and alerts that miss by one label, and checks both sides.
 */
class MutingTest {

    private static final Instant FAR = T0.plus(Duration.ofDays(30));

    private static Alert alert(String... pairs) {
        Alert.Builder b = Alert.builder().startsAt(T0).endsAt(FAR);
        for (int i = 0; i < pairs.length; i += 2) {
            b.label(pairs[i], pairs[i + 1]);
        }
        return b.build();
    }

    private static Timeline timeline(InhibitRule... rules) {
        CorrelationEngine.Builder b = CorrelationEngine.builder(Route.builder().receiver("r").groupBy("...").groupWait(s(30)).build());
        for (InhibitRule rule : rules) {
            b.inhibitRule(rule);
        }
        return new Timeline(b.build());
    }

    private static List<String> notified(List<Notification> sent) {
        return sent.stream().flatMap(n -> n.firing().stream()).map(Alert::name).sorted().toList();
    }

    private static Map<String, CorrelationEngine.AlertStatus> statusByName(Timeline t) {
        return t.engine.alerts(t.now).stream().collect(Collectors.toMap(st -> st.alert().name(), Function.identity()));
    }

    private static final InhibitRule CRITICAL_MUTES_WARNING = InhibitRule.builder()
            .sourceMatchers("severity=\"critical\"").targetMatchers("severity=\"warning\"").equal("service").build();

    @Test
    void aFiringSourceMutesTargetsWithEqualLabelsOnly() {
        Timeline t = timeline(CRITICAL_MUTES_WARNING);
        Alert critical = alert("alertname", "Crit", "severity", "critical", "service", "a");
        t.receive(critical,
                alert("alertname", "WarnSameService", "severity", "warning", "service", "a"),
                alert("alertname", "WarnOtherService", "severity", "warning", "service", "b"),
                alert("alertname", "WarnNoService", "severity", "warning"),
                alert("alertname", "InfoSameService", "severity", "info", "service", "a"));
        assertThat(notified(t.advanceTo(s(30))))
                .containsExactly("Crit", "InfoSameService", "WarnNoService", "WarnOtherService");
        Map<String, CorrelationEngine.AlertStatus> status = statusByName(t);
        assertThat(status.get("WarnSameService").inhibitedBy()).containsExactly(critical.fingerprint());
        assertThat(status.get("WarnSameService").suppressed()).isTrue();
        assertThat(status.get("WarnOtherService").suppressed()).isFalse();
        assertThat(status.get("Crit").suppressed()).isFalse();

        // The source resolves: the target is no longer muted and is sent at the next group_interval flush.
        t.advanceTo(m(2));
        t.receive(critical.withEndsAt(at(m(2))));
        List<Notification> after = t.advanceTo(Duration.ofSeconds(330));
        assertThat(notified(after)).contains("WarnSameService");
        assertThat(statusByName(t).get("WarnSameService").suppressed()).isFalse();
    }

    @Test
    void missingEqualLabelsCountAsEqual() {
        Timeline t = timeline(CRITICAL_MUTES_WARNING);
        t.receive(alert("alertname", "Crit", "severity", "critical"), alert("alertname", "Warn", "severity", "warning"));
        assertThat(notified(t.advanceTo(s(30)))).containsExactly("Crit");
    }

    @Test
    void anAlertMatchingBothSidesDoesNotInhibitItselfNorItsPeers() {
        InhibitRule rule = InhibitRule.builder().sourceMatchers("severity=~\"critical|warning\"")
                .targetMatchers("severity=\"warning\"").equal("cluster").build();
        Timeline t = timeline(rule);
        t.receive(alert("alertname", "W1", "severity", "warning", "cluster", "c"),
                alert("alertname", "W2", "severity", "warning", "cluster", "c"));
        assertThat(notified(t.advanceTo(s(30)))).containsExactly("W1", "W2");

        Timeline t2 = timeline(rule);
        t2.receive(alert("alertname", "W1", "severity", "warning", "cluster", "c"),
                alert("alertname", "C", "severity", "critical", "cluster", "c"));
        assertThat(notified(t2.advanceTo(s(30)))).as("a source matching only the source side does inhibit").containsExactly("C");
    }

    @Test
    void aResolvedSourceInhibitsNothing() {
        Timeline t = timeline(CRITICAL_MUTES_WARNING);
        t.receive(alert("alertname", "Crit", "severity", "critical", "service", "a").withEndsAt(T0),
                alert("alertname", "Warn", "severity", "warning", "service", "a"));
        assertThat(notified(t.advanceTo(s(30)))).containsExactly("Warn");
    }

    @Test
    void aSilenceMutesExactlyWhatAllItsMatchersMatchWhileActive() {
        Timeline t = timeline();
        Silence silence = t.engine.addSilence(Silence.builder().matchers("alertname=\"Disk\"", "service=~\"a|b\"")
                .startsAt(T0).endsAt(T0.plus(Duration.ofHours(1))).createdBy("ops@example.com").comment("maintenance").build(), T0);
        assertThat(silence.id()).isPresent();
        t.receive(alert("alertname", "Disk", "service", "a"), alert("alertname", "Disk", "service", "b"),
                alert("alertname", "Disk", "service", "c"), alert("alertname", "Cpu", "service", "a"),
                alert("alertname", "Disk"));
        List<Notification> sent = t.advanceTo(s(30));
        assertThat(sent.stream().flatMap(n -> n.firing().stream()).map(a -> a.name() + "/" + a.labels().getOrDefault("service", "-")).sorted())
                .containsExactly("Cpu/a", "Disk/-", "Disk/c");
        long silencedCount = t.engine.alerts(t.now).stream().filter(st -> st.silencedBy().contains(silence.id().get())).count();
        assertThat(silencedCount).isEqualTo(2);

        // Expire it: endsAt = now; the two alerts become news at the next flush of their groups.
        t.advanceTo(m(3));
        Silence expired = t.engine.expireSilence(silence.id().get(), t.now).orElseThrow();
        assertThat(expired.endsAt()).isEqualTo(at(m(3)));
        assertThat(expired.state(t.now)).isEqualTo(Silence.State.EXPIRED);
        List<Notification> after = t.advanceTo(Duration.ofSeconds(330));
        assertThat(after.stream().flatMap(n -> n.firing().stream()).map(a -> a.labels().get("service")).sorted())
                .containsExactly("a", "b");
    }

    @Test
    void aPendingSilenceMutesFromItsStartUntilItsEnd() {
        // repeat_interval 10 min: unmuted, the alert would be re-sent at 15m30s, 30m30s, 45m30s, 60m30s.
        Timeline t = new Timeline(CorrelationEngine.builder(Route.builder().receiver("r").groupBy("alertname")
                .repeatInterval(m(10)).build()).build());
        Silence pending = t.engine.addSilence(Silence.builder().matchers("alertname=Disk").startsAt(at(m(12)))
                .endsAt(at(m(70))).createdBy("ops").comment("").build(), T0);
        assertThat(pending.state(T0)).isEqualTo(Silence.State.PENDING);
        assertThat(pending.state(at(m(12)))).isEqualTo(Silence.State.ACTIVE);
        assertThat(pending.state(at(m(70)))).isEqualTo(Silence.State.EXPIRED);
        t.receive(alert("alertname", "Disk"));
        t.advanceTo(m(12));
        assertThat(statusByName(t).get("Disk").silencedBy()).containsExactly(pending.id().orElseThrow());
        t.advanceTo(m(75));
        // Sent at 30 s; the repeat due at 15m30s (first flush > 10 min later) and every one after it fall into the
        // silence (12 min to 70 min); the repeat comes at the first flush after the silence ended.
        assertThat(t.sendTimes()).containsExactly(s(30), Duration.ofSeconds(70 * 60 + 30));
    }

    @Test
    void silencesFollowAlertmanagersUpdateRules() {
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("r").build()).build();
        Silence created = engine.addSilence(Silence.builder().matchers("alertname=Disk").startsAt(T0.minusSeconds(60))
                .endsAt(at(m(60))).createdBy("ops").comment("c").build(), T0);
        assertThat(created.startsAt()).as("a new silence starts no earlier than now").isEqualTo(T0);
        String id = created.id().orElseThrow();

        Silence extended = engine.addSilence(created.toBuilder().endsAt(at(m(120))).build(), at(m(1)));
        assertThat(extended.id()).contains(id);
        assertThat(engine.silences()).hasSize(1);

        Silence changed = engine.addSilence(created.toBuilder().matchers("service=a").build(), at(m(2)));
        assertThat(changed.id()).isPresent().isNotEqualTo(created.id());
        assertThat(engine.silence(id).orElseThrow().state(at(m(2)))).as("the replaced one is expired").isEqualTo(Silence.State.EXPIRED);
        assertThat(engine.expireSilence("no-such-id", T0)).isEmpty();
    }

    @Test
    void aRestoredSilenceIsHeldAsGivenUnderItsId() {
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("r").build()).build();
        Silence pending = engine.addSilence(Silence.builder().matchers("alertname=Disk").startsAt(at(m(10)))
                .endsAt(at(m(60))).createdBy("ops").comment("c").build(), T0);
        String id = pending.id().orElseThrow();
        // Made elsewhere at T0: an earlier start. Seen here at m(20), when addSilence would refuse it (start passed).
        Silence earlier = pending.toBuilder().startsAt(at(m(5))).comment("earlier").build();
        assertThat(engine.restoreSilence(earlier, at(m(20)))).isEqualTo(earlier);
        assertThat(engine.silences()).containsExactly(earlier);
        // An expiry made elsewhere, seen after it: kept with its own end, not turned into a new silence.
        Silence expired = earlier.toBuilder().endsAt(at(m(21))).build();
        engine.restoreSilence(expired, at(m(30)));
        assertThat(engine.silences()).containsExactly(expired);
        assertThat(engine.silence(id).orElseThrow().state(at(m(30)))).isEqualTo(Silence.State.EXPIRED);
        Silence unknown = Silence.builder().id("other").matchers("service=a").startsAt(T0).endsAt(at(m(90)))
                .createdBy("ops").build();
        engine.restoreSilence(unknown, at(m(30)));
        assertThat(engine.silences()).containsExactly(expired, unknown);
        assertThatThrownBy(() -> engine.restoreSilence(unknown.toBuilder().id(null).build(), at(m(30))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidSilencesAreRejected() {
        assertThatThrownBy(() -> Silence.builder().startsAt(T0).endsAt(at(m(5))).createdBy("ops").build())
                .hasMessage("at least one matcher required");
        assertThatThrownBy(() -> Silence.builder().matchers("a=\"\"", "b=~\".*\"")
                .startsAt(T0).endsAt(at(m(5))).createdBy("ops").build())
                .hasMessage("at least one matcher must not match the empty string");
        assertThatThrownBy(() -> Silence.builder().matchers("a=b").startsAt(T0).endsAt(T0.minusSeconds(1)).createdBy("ops").build())
                .hasMessage("end time must not be before start time");
        assertThatThrownBy(() -> Silence.builder().matchers("a=b").startsAt(T0).endsAt(T0).build())
                .hasMessage("createdBy is required");
    }
}
