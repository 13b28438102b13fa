package io.vigil.alerts;

import io.vigil.core.alert.Incident;
import io.vigil.core.alert.Notification;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API has seen happen to each incident: the notifications the engine emitted for it (as handed to the
 * {@link AlertManager}) and who acknowledged it. Bounded: the last {@value #PER_INCIDENT} notifications per
 * incident, and {@code capacity} incidents, the least recently touched forgotten first.
 */
final class IncidentLog {

    static final int PER_INCIDENT = 32;

    /** One notification that included the incident. */
    record Entry(String receiver, String groupKey, long sequence, Instant at, String idempotencyKey, boolean resolved,
                 int symptoms) {
    }

    /** An acknowledgement. */
    record Ack(String by, Instant at) {
    }

    private final Map<String, ArrayDeque<Entry>> notifications;
    private final Map<String, Ack> acks;

    IncidentLog(int capacity) {
        this.notifications = bounded(capacity);
        this.acks = bounded(capacity);
    }

    private static <V> Map<String, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void record(Notification n) {
        for (Incident incident : n.incidents()) {
            ArrayDeque<Entry> entries = notifications.computeIfAbsent(incident.id(), id -> new ArrayDeque<>());
            if (entries.size() == PER_INCIDENT) {
                entries.removeFirst();
            }
            entries.addLast(new Entry(n.receiver(), n.groupKey(), n.sequence(), n.at(), n.idempotencyKey(),
                    incident.resolved(), incident.symptoms().size()));
        }
    }

    synchronized List<Entry> notificationsOf(String incidentId) {
        ArrayDeque<Entry> entries = notifications.get(incidentId);
        return entries == null ? List.of() : new ArrayList<>(entries);
    }

    synchronized void acknowledge(String incidentId, String by, Instant at) {
        acks.put(incidentId, new Ack(by, at));
    }

    synchronized Optional<Ack> ackOf(String incidentId) {
        return Optional.ofNullable(acks.get(incidentId));
    }
}
