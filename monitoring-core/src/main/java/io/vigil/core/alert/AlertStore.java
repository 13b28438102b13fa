package io.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts the engine knows, one per fingerprint, bounded: at most {@code capacity} alerts; when full, the
 * longest-resolved alert makes room, and a new alert that finds only firing ones is dropped and counted (never
 * an {@code OutOfMemoryError}). Resolved alerts are forgotten {@code retention} after they ended.
 */
final class AlertStore {

    private final int capacity;
    private final Duration retention;
    private final Map<Long, StoredAlert> alerts = new LinkedHashMap<>();
    private long dropped;

    AlertStore(int capacity, Duration retention) {
        this.capacity = capacity;
        this.retention = retention;
    }

    /** Stores {@code incoming} (merged with the alert it updates); null when dropped for lack of room. */
    StoredAlert put(StoredAlert incoming, Instant now) {
        StoredAlert old = alerts.get(incoming.fingerprint());
        if (old == null && alerts.size() >= capacity && !evictOneResolved(now)) {
            dropped++;
            return null;
        }
        StoredAlert stored = old != null && old.overlaps(incoming) ? old.merge(incoming) : incoming;
        alerts.put(stored.fingerprint(), stored);
        return stored;
    }

    private boolean evictOneResolved(Instant now) {
        StoredAlert oldest = null;
        for (StoredAlert candidate : alerts.values()) {
            if (candidate.isResolved(now) && (oldest == null || candidate.endsAt().isBefore(oldest.endsAt()))) {
                oldest = candidate;
            }
        }
        if (oldest == null) {
            return false;
        }
        alerts.remove(oldest.fingerprint());
        return true;
    }

    /** Forgets alerts that ended at least {@code retention} ago. */
    void collectGarbage(Instant now) {
        Instant cutoff = now.minus(retention);
        for (Iterator<StoredAlert> it = alerts.values().iterator(); it.hasNext(); ) {
            StoredAlert a = it.next();
            if (a.isResolved(now) && !a.endsAt().isAfter(cutoff)) {
                it.remove();
            }
        }
    }

    Collection<StoredAlert> all() {
        return alerts.values();
    }

    List<Alert> alerts() {
        List<Alert> out = new ArrayList<>(alerts.size());
        for (StoredAlert a : alerts.values()) {
            out.add(a.alert());
        }
        return out;
    }

    int size() {
        return alerts.size();
    }

    long dropped() {
        return dropped;
    }
}
