package io.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Alertmanager's notification-log entry for a group and receiver: what the last notification said (fingerprints of
 * firing and resolved alerts, here including the symptoms listed under each incident), when, and how many
 * notifications the group has had. It outlives its group for twice the repeat interval, as in Alertmanager, so a
 * group that empties and refills still knows what was sent.
 */
record NotifiedState(Set<Long> firing, Set<Long> resolved, Instant at, long sequence, Duration repeatInterval) {

    /**
     * Alertmanager's {@code DedupStage.needsUpdate}: notify a new group only if something fires; notify when a
     * firing alert was not in the last notification, when everything resolved after something had fired, when a
     * newly resolved alert appears for a receiver that sends resolved notifications, and otherwise only once the
     * last notification is strictly more than {@code repeat_interval} old.
     */
    static boolean needsUpdate(NotifiedState last, Set<Long> firing, Set<Long> resolved, boolean sendResolved,
                               Duration repeat, Instant now) {
        if (last == null) {
            return !firing.isEmpty();
        }
        if (!last.firing.containsAll(firing)) {
            return true;
        }
        if (firing.isEmpty()) {
            return !last.firing.isEmpty();
        }
        if (sendResolved && !last.resolved.containsAll(resolved)) {
            return true;
        }
        return last.at.isBefore(now.minus(repeat));
    }

    Instant expiresAt() {
        return at.plus(repeatInterval.multipliedBy(2));
    }
}
