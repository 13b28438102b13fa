package io.vigil.core.alert;

import java.time.Instant;

/**
 * An alert as the engine holds it: {@code endsAt} always set (an open-ended alert gets {@code now + resolve_timeout}
 * and {@code timeout = true}, as in Alertmanager's API) and the time it was last received ({@code UpdatedAt}).
 * Identity matters: a group deletes a resolved alert after a flush only if it was not replaced since.
 */
record StoredAlert(Alert alert, boolean timeout, Instant updatedAt) {

    long fingerprint() {
        return alert.fingerprintBits();
    }

    Instant endsAt() {
        return alert.endsAtOrNull();
    }

    boolean isResolved(Instant now) {
        return alert.isResolved(now);
    }

    /**
     * Alertmanager's {@code types.Alert.Merge}: the younger update wins, except that the earliest start is kept
     * and an explicit (non-timeout) later end is not overridden by a timeout.
     */
    StoredAlert merge(StoredAlert other) {
        if (other.updatedAt.isBefore(updatedAt)) {
            return other.merge(this);
        }
        Instant startsAt = alert.startsAt().isBefore(other.alert.startsAt()) ? alert.startsAt() : other.alert.startsAt();
        Instant endsAt = other.endsAt();
        if (other.isResolved(other.updatedAt)) {
            if (isResolved(other.updatedAt) && endsAt().isAfter(other.endsAt())) {
                endsAt = endsAt();
            }
        } else if (endsAt().isAfter(other.endsAt()) && !timeout) {
            endsAt = endsAt();
        }
        Alert merged = other.alert.toBuilder().startsAt(startsAt).endsAt(endsAt).build();
        return new StoredAlert(merged, other.timeout, other.updatedAt);
    }

    /** Alertmanager merges only when the activity ranges overlap ({@code provider/mem}). */
    boolean overlaps(StoredAlert incoming) {
        Instant inStart = incoming.alert.startsAt();
        Instant inEnd = incoming.endsAt();
        Instant start = alert.startsAt();
        Instant end = endsAt();
        return (inEnd.isAfter(start) && inEnd.isBefore(end)) || (inStart.isAfter(start) && inStart.isBefore(end));
    }
}
