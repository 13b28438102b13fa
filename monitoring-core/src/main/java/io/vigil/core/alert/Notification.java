package io.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link CorrelationEngine#tick} says must be sent now: one aggregation group's state for one receiver, as
 * Alertmanager would hand it to its integrations. {@code firing} and {@code resolved} hold the group's alerts
 * that are neither silenced, inhibited nor another alert's symptom (firing ones have no {@code endsAt}, as in
 * Alertmanager's payloads); {@code incidents} gives each of them as an {@link Incident} with its symptoms.
 * Resolved alerts are always listed; {@link #sendResolved()} carries the receiver's {@code send_resolved} so the
 * channel can leave them out, and skip a notification whose alerts are {@link #allResolved() all resolved}
 * (Alertmanager logs that one as sent without calling the integration).
 *
 * <p>{@link #idempotencyKey()} is derived from the receiver, group key, sequence number and content (alert
 * fingerprints, start and end times, symptoms), so a durable dispatcher can recognise a notification it already
 * delivered, also after a restart that rebuilds the same state. Immutable.
 *
 * @param receiver       the route's receiver
 * @param groupKey       Alertmanager's group key, e.g. {@code {}/{service="db"}:{alertname="Down"}}
 * @param groupLabels    the labels the group is formed by
 * @param firing         firing alerts, in Alertmanager's order
 * @param resolved       resolved alerts, in Alertmanager's order
 * @param incidents      one per alert above, with its symptoms
 * @param sendResolved   the receiver's {@code send_resolved}
 * @param sequence       1 for the group's first notification, then 2, 3, ...
 * @param idempotencyKey 32 hex digits, see above
 * @param at             when it became due
 * @param repeatInterval the route's {@code repeat_interval}: a runtime that shares its notification log between
 *                       nodes needs it to tell a repeat from a duplicate, as Alertmanager's dedup stage does
 */
public record Notification(String receiver, String groupKey, Map<String, String> groupLabels, List<Alert> firing,
                           List<Alert> resolved, List<Incident> incidents, boolean sendResolved, long sequence,
                           String idempotencyKey, Instant at, Duration repeatInterval) {

    /** A notification of a route with Alertmanager's default {@code repeat_interval} (4 h). */
    public Notification(String receiver, String groupKey, Map<String, String> groupLabels, List<Alert> firing,
                        List<Alert> resolved, List<Incident> incidents, boolean sendResolved, long sequence,
                        String idempotencyKey, Instant at) {
        this(receiver, groupKey, groupLabels, firing, resolved, incidents, sendResolved, sequence, idempotencyKey, at,
                Duration.ofHours(4));
    }

    public Notification {
        TreeMap<String, String> sorted = new TreeMap<>(LabelSets.CODE_POINT_ORDER);
        sorted.putAll(groupLabels);
        groupLabels = Collections.unmodifiableSortedMap(sorted);
        firing = List.copyOf(firing);
        resolved = List.copyOf(resolved);
        incidents = List.copyOf(incidents);
        Objects.requireNonNull(repeatInterval, "repeatInterval");
    }

    /** Whether every alert in it is resolved. */
    public boolean allResolved() {
        return firing.isEmpty();
    }
}
