package io.vigil.alerts;

import io.vigil.core.alert.Alert;
import io.vigil.core.alert.Incident;
import io.vigil.core.alert.Notification;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one group notification says, as an entry of the notification log that the nodes of a cluster share through
 * the store: the fingerprints of its firing and resolved alerts (symptoms included) and the route's repeat
 * interval. Two nodes fed the same alerts flush the same group within moments of each other, possibly with a
 * slightly different view (one alert arrived between the two flushes); the store lets the first one send and
 * drops the other unless it says something new, by Alertmanager's own rule ({@link #isNews}).
 */
record GroupClaim(String receiver, String groupKey, Set<String> firing, Set<String> resolved, boolean sendResolved,
        Duration repeatInterval) {

    GroupClaim {
        firing = Set.copyOf(new TreeSet<>(firing));
        resolved = Set.copyOf(new TreeSet<>(resolved));
    }

    /** The claim of a correlation-engine notification: the same sets as core's own notification log. */
    static GroupClaim of(Notification n) {
        Set<String> firing = new TreeSet<>();
        Set<String> resolved = new TreeSet<>();
        for (Incident incident : n.incidents()) {
            (incident.resolved() ? resolved : firing).add(incident.root().fingerprint());
            for (Alert symptom : incident.symptoms()) {
                (symptom.endsAt().isPresent() ? resolved : firing).add(symptom.fingerprint());
            }
        }
        for (Alert a : n.firing()) {
            firing.add(a.fingerprint());
        }
        for (Alert a : n.resolved()) {
            resolved.add(a.fingerprint());
        }
        return new GroupClaim(n.receiver(), n.groupKey(), firing, resolved, n.sendResolved(), n.repeatInterval());
    }

    /**
     * Alertmanager's {@code DedupStage.needsUpdate} against the last entry any node logged for the group
     * ({@code lastAt} null: none): news when something fires that was not told, when everything resolved after
     * something had fired, when something newly resolved for a receiver that sends resolves, or when the last
     * notification is more than the repeat interval old.
     */
    boolean isNews(Set<String> lastFiring, Set<String> lastResolved, Instant lastAt, Instant now) {
        if (lastAt == null) {
            return !firing.isEmpty();
        }
        if (!lastFiring.containsAll(firing)) {
            return true;
        }
        if (firing.isEmpty()) {
            return !lastFiring.isEmpty();
        }
        if (sendResolved && !lastResolved.containsAll(resolved)) {
            return true;
        }
        return lastAt.isBefore(now.minus(repeatInterval));
    }

    /** The sets as stored: sorted fingerprints, one per line. */
    static String join(Set<String> fingerprints) {
        return String.join("\n", new TreeSet<>(fingerprints));
    }

    static Set<String> split(String stored) {
        Set<String> out = new TreeSet<>();
        if (stored != null && !stored.isEmpty()) {
            out.addAll(java.util.Arrays.asList(stored.split("\n")));
        }
        return out;
    }
}
