package io.vigil.core.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Alertmanager's aggregation group: the alerts of one route with the same group labels, and its timer. The first
 * flush is due {@code group_wait} after the group is created (at once if an alert in it started more than
 * {@code group_wait} ago and the group has not flushed yet); every flush schedules the next one
 * {@code group_interval} later. Whether a flush notifies is {@link NotifiedState#needsUpdate}'s decision.
 */
final class AggregationGroup {

    final GroupId id;
    final RouteNode route;
    final SortedMap<String, String> labels;
    final String key;
    final long order;
    final Map<Long, StoredAlert> alerts = new LinkedHashMap<>();
    Instant nextFlush;
    boolean hasFlushed;

    AggregationGroup(GroupId id, long order, Instant now) {
        this.id = id;
        this.route = id.route();
        this.labels = id.labels();
        this.key = route.groupKey(labels);
        this.order = order;
        this.nextFlush = now.plus(route.groupWait);
    }

    void insert(StoredAlert alert, Instant now) {
        alerts.put(alert.fingerprint(), alert);
        if (!hasFlushed && alert.alert().startsAt().plus(route.groupWait).isBefore(now)) {
            nextFlush = now;
        }
    }

    boolean isDue(Instant now) {
        return !nextFlush.isAfter(now);
    }
}
