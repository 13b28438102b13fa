package io.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The alerts the engine knows, one per fingerprint, bounded: at most {@code capacity} alerts; when full, the
 * longest-resolved alert makes room, and a new alert that finds only firing ones is dropped and counted (never
 * an {@code OutOfMemoryError}). Resolved alerts are forgotten {@code retention} after they ended. Alerts are also
 * kept in end order (every stored alert has an end), so both take O(log n), not a scan, even under a flood.
 */
final class AlertStore {

    private static final Comparator<StoredAlert> BY_END = Comparator.comparing(StoredAlert::endsAt)
            .thenComparing(StoredAlert::fingerprint, Long::compareUnsigned);

    private final int capacity;
    private final Duration retention;
    private final Map<Long, StoredAlert> alerts = new LinkedHashMap<>();
    private final TreeSet<StoredAlert> byEnd = new TreeSet<>(BY_END);
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
        if (old != null) {
            byEnd.remove(old);
        }
        alerts.put(stored.fingerprint(), stored);
        byEnd.add(stored);
        return stored;
    }

    private boolean evictOneResolved(Instant now) {
        StoredAlert earliest = byEnd.isEmpty() ? null : byEnd.first();
        if (earliest == null || !earliest.isResolved(now)) {
            return false;
        }
        remove(earliest);
        return true;
    }

    /** Forgets alerts that ended at least {@code retention} ago. */
    void collectGarbage(Instant now) {
        Instant cutoff = now.minus(retention);
        while (!byEnd.isEmpty()) {
            StoredAlert earliest = byEnd.first();
            if (!earliest.isResolved(now) || earliest.endsAt().isAfter(cutoff)) {
                return;
            }
            remove(earliest);
        }
    }

    private void remove(StoredAlert alert) {
        byEnd.remove(alert);
        alerts.remove(alert.fingerprint());
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
