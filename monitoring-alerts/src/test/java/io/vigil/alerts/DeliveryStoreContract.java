package io.vigil.alerts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link DeliveryStore} promises, run against the file store, H2 and PostgreSQL. */
abstract class DeliveryStoreContract {

    static final Instant NOW = TestNotifications.T0;
    DeliveryStore store;

    /** A store on the same durable location as every previous call (a restart). */
    abstract DeliveryStore open();

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    DeliveryStore restart() {
        store.close();
        store = open();
        return store;
    }

    @Test
    void pendingSurvivesARestartInOrderAndCompletedGoesToTheLog() {
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k1", 2);
        PendingDelivery first = store.addPending("hook", "k1", n, NOW).orElseThrow();
        PendingDelivery second = store.addPending("hook", "k2", n.withIdempotencyKey("k2"), NOW).orElseThrow();
        store.addPending("mail", "k1", n, NOW).orElseThrow();
        assertThat(second.seq()).isGreaterThan(first.seq());
        store.complete(first.seq(), LogEntry.SENT, NOW.plusSeconds(1));

        restart();
        List<PendingDelivery> pending = store.pending();
        assertThat(pending).extracting(PendingDelivery::channel, PendingDelivery::idempotencyKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hook", "k2"),
                        org.assertj.core.groups.Tuple.tuple("mail", "k1"));
        assertThat(pending.get(0).notification()).isEqualTo(n.withIdempotencyKey("k2"));
        assertThat(store.logged("hook", "k1")).get().extracting(LogEntry::outcome, LogEntry::at, LogEntry::receiver)
                .containsExactly(LogEntry.SENT, NOW.plusSeconds(1), "team");
        // new sequence numbers continue after the old ones
        PendingDelivery third = store.addPending("hook", "k3", n, NOW).orElseThrow();
        assertThat(third.seq()).isGreaterThan(pending.get(1).seq());
    }

    @Test
    void aKeyPendingOrLoggedIsNotAcceptedTwice() {
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k1", 1);
        PendingDelivery d = store.addPending("hook", "k1", n, NOW).orElseThrow();
        assertThat(store.addPending("hook", "k1", n, NOW)).isEmpty();
        store.complete(d.seq(), LogEntry.SENT, NOW);
        assertThat(store.addPending("hook", "k1", n, NOW)).isEmpty();
        restart();
        assertThat(store.addPending("hook", "k1", n, NOW)).isEmpty();
        assertThat(store.addPending("other", "k1", n, NOW)).isPresent();
        assertThat(store.log()).hasSize(1);
    }

    @Test
    void silencesAcknowledgementsAndEscalationsSurvive() {
        store = open();
        store.putSilence(new SilenceRecord("s1", "{\"matchers\":[\"service=db\"]}", NOW.plusSeconds(3600)));
        store.putSilence(new SilenceRecord("s2", "{}", null));
        store.removeSilence("s2");
        store.putAcknowledgement(new Acknowledgement("team/g", "alice", NOW));
        AlertNotification n = TestNotifications.firing("team", "A", "k1", 1);
        EscalationState s = new EscalationState("team/g", "team", "k1", n, 1, 2, NOW, NOW.plusSeconds(60), true);
        store.putEscalation(s);
        store.putEscalation(new EscalationState("team/h", "team", "k9", n, 0, 0, NOW, null, false));
        store.removeEscalation("team/h");

        restart();
        assertThat(store.silences()).containsExactly(
                new SilenceRecord("s1", "{\"matchers\":[\"service=db\"]}", NOW.plusSeconds(3600)));
        assertThat(store.acknowledgements()).containsExactly(new Acknowledgement("team/g", "alice", NOW));
        assertThat(store.escalations()).containsExactly(s);
        store.removeAcknowledgement("team/g");
        restart();
        assertThat(store.acknowledgements()).isEmpty();
    }
}
