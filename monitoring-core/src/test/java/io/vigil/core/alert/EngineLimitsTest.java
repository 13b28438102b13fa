package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.vigil.core.alert.Timeline.T0;
import static io.vigil.core.alert.Timeline.at;
import static io.vigil.core.alert.Timeline.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bounded memory: caps with counted overflow, retention of resolved alerts and expired silences. */
class EngineLimitsTest {

    private static final Instant FAR = T0.plus(Duration.ofDays(30));

    private static Alert alert(int i, Instant endsAt) {
        return Alert.builder().label("alertname", "Load").label("instance", "host-" + i).startsAt(T0).endsAt(endsAt).build();
    }

    @Test
    void beyondMaxAlertsNewFiringAlertsAreDroppedAndCounted() {
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("r").build()).maxAlerts(100).build();
        java.util.List<Alert> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            batch.add(alert(i, FAR));
        }
        assertThat(engine.receive(batch, T0)).isEqualTo(100);
        assertThat(engine.receive(alert(200, FAR), T0)).isFalse();
        assertThat(engine.stats().alerts()).isEqualTo(100);
        assertThat(engine.stats().droppedAlerts()).isEqualTo(51);
        // An update of an alert already held is always taken.
        assertThat(engine.receive(alert(7, FAR.plusSeconds(1)), T0)).isTrue();
        assertThat(engine.stats().droppedAlerts()).isEqualTo(51);
        assertThat(engine.groups().get(0).alerts()).hasSize(100);
    }

    @Test
    void aResolvedAlertMakesRoomForANewOne() {
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("r").build()).maxAlerts(3).build();
        engine.receive(alert(1, FAR), T0);
        engine.receive(alert(2, T0.plusSeconds(10)), T0);
        engine.receive(alert(3, T0.plusSeconds(20)), T0);
        Instant later = T0.plusSeconds(30);
        assertThat(engine.receive(alert(4, FAR), later)).isTrue();
        assertThat(engine.alerts(later)).extracting(st -> st.alert().labels().get("instance"))
                .containsExactlyInAnyOrder("host-1", "host-3", "host-4");
        assertThat(engine.stats().droppedAlerts()).isZero();
    }

    @Test
    void resolvedAlertsAreForgottenAfterTheRetention() {
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("r").build())
                .resolvedRetention(m(15)).build();
        engine.receive(alert(1, FAR), T0);
        engine.receive(alert(2, at(m(1))), T0);
        engine.tick(at(m(15)));
        assertThat(engine.alerts(at(m(15)))).hasSize(2);
        engine.tick(at(m(16)));
        assertThat(engine.alerts(at(m(16)))).extracting(st -> st.alert().labels().get("instance")).containsExactly("host-1");
        assertThat(engine.alerts(at(m(16))).get(0).resolved()).isFalse();
    }

    @Test
    void silencesAreCappedAndExpiredOnesForgottenAfterRetention() {
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("r").build())
                .maxSilences(2).silenceRetention(Duration.ofHours(1)).build();
        Silence.Builder s = Silence.builder().matchers("alertname=Load").startsAt(T0).endsAt(at(m(10))).createdBy("ops");
        Silence first = engine.addSilence(s.build(), T0);
        engine.addSilence(s.build(), T0);
        assertThatThrownBy(() -> engine.addSilence(s.build(), T0))
                .isInstanceOf(IllegalStateException.class).hasMessage("too many silences: the limit is 2");
        engine.expireSilence(first.id().orElseThrow(), at(m(1)));
        assertThat(engine.addSilence(s.endsAt(at(m(20))).build(), at(m(2))).id()).isPresent();
        assertThat(engine.silences()).hasSize(2);
        engine.tick(at(m(200)));
        assertThat(engine.silences()).isEmpty();
    }

    @Test
    void badLimitsAreRejectedAtConfiguration() {
        CorrelationEngine.Builder b = CorrelationEngine.builder(Route.builder().receiver("r").build());
        assertThatThrownBy(() -> b.maxAlerts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.resolveTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.resolvedRetention(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
