package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MetricCatalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The escalation runtime: one {@link EscalationState} per open incident of a receiver that has a policy,
 * advanced by {@link #tick} on the manager's clock. Single-threaded (the manager's control thread, or the
 * caller of {@code tick()} in manual mode).
 *
 * <p>Crash safety: a step first records its deliveries (durable, deduplicated by idempotency key) and then the
 * new state. A crash in between repeats the step after restart with the same keys, which the store drops as
 * duplicates; so a level is never notified twice and never skipped.
 *
 * <p>Several nodes on one store: the stored states are the truth. Each tick first reloads them with the stored
 * acknowledgements (so an incident opened, acknowledged or closed on another node is seen here within one tick);
 * an incident is opened, updated or closed by the node that wins the group's claim, in the claim's transaction;
 * any node steps a due state, and since a step's keys derive from the stored state, two nodes stepping at once
 * produce the same deliveries, which the store lets in once.
 */
final class Escalations {

    private final Map<String, EscalationPolicy> policies;
    private final Dispatcher dispatcher;
    private final DeliveryStore store;
    private final MeterRegistry registry;
    private final Map<String, Counter> escalationsByLevel = new LinkedHashMap<>();
    private final Map<String, EscalationState> open = new LinkedHashMap<>();

    Escalations(Map<String, EscalationPolicy> policies, Dispatcher dispatcher, DeliveryStore store,
            MeterRegistry registry) {
        this.policies = policies;
        this.dispatcher = dispatcher;
        this.store = store;
        this.registry = registry;
        int maxLevels = policies.values().stream().mapToInt(p -> p.levels().size()).max().orElse(0);
        for (int level = 1; level < maxLevels; level++) {
            counter(level);
        }
        for (EscalationState s : store.escalations()) {
            open.put(s.incidentKey(), s);
        }
    }

    private Counter counter(int level) {
        return escalationsByLevel.computeIfAbsent(Integer.toString(level),
                l -> MetricCatalog.ALERTS_ESCALATIONS.counter(registry, Tags.of("level", l)));
    }

    boolean handles(String receiver) {
        return policies.containsKey(receiver);
    }

    static String incidentKey(AlertNotification n) {
        return n.receiver() + "/" + n.groupKey();
    }

    /** A firing notification opens (or refreshes) the incident; a resolved one ends it. */
    void onNotification(AlertNotification n, Instant now) {
        String key = incidentKey(n);
        EscalationState state = open.get(key);
        if (n.status() == AlertNotification.Status.FIRING) {
            if (state == null) {
                EscalationPolicy policy = policies.get(n.receiver());
                state = new EscalationState(key, n.receiver(), n.idempotencyKey(), n, -1, 0, now,
                        now.plus(policy.levels().get(0).delay()), false);
                store.putEscalation(state);
                open.put(key, state);
                step(state, now);
            } else {
                // New content for the next steps; who is told, and when, stays the policy's business.
                state = state.withNotification(n);
                store.putEscalation(state);
                open.put(key, state);
            }
            return;
        }
        if (state == null) {
            return; // resolved before any level was due, or never seen
        }
        EscalationPolicy policy = policies.get(state.receiver());
        Set<String> told = new LinkedHashSet<>();
        for (int level = 0; level <= state.level() && level < policy.levels().size(); level++) {
            told.addAll(policy.levels().get(level).channels());
        }
        for (String channel : told) {
            dispatcher.enqueue(n.withIdempotencyKey(state.baseKey() + "#resolved"), channel);
        }
        store.removeEscalation(key);
        store.removeAcknowledgement(key);
        open.remove(key);
    }

    /** Ends an incident without telling anyone (its receiver does not want resolves). */
    void end(String incidentKey) {
        if (open.remove(incidentKey) != null) {
            store.removeEscalation(incidentKey);
            store.removeAcknowledgement(incidentKey);
        }
    }

    /** Acknowledges an open incident: no further levels, no re-notification. False when no such incident is open. */
    boolean acknowledge(String incidentKey, String by, Instant now) {
        EscalationState state = open.get(incidentKey);
        if (state == null && store.shared()) {
            state = store.escalation(incidentKey).orElse(null); // opened on another node since the last tick
        }
        if (state == null) {
            return false;
        }
        // The acknowledged escalation state first: once the acknowledgement is visible, a crash cannot leave an
        // escalation that still pages.
        state = state.acknowledge();
        store.putEscalation(state);
        store.putAcknowledgement(new Acknowledgement(incidentKey, by, now));
        open.put(incidentKey, state);
        return true;
    }

    /**
     * Shared store: a group notification claimed against the other nodes, then applied as {@link #onNotification}
     * does, with the incident's stored state (another node may have opened it) and in the claim's transaction.
     */
    void onClaimed(AlertNotification n, GroupClaim claim, Instant now) {
        String key = incidentKey(n);
        EscalationState state = store.escalation(key).orElse(null);
        if (n.status() == AlertNotification.Status.FIRING) {
            boolean opening = state == null;
            if (opening) {
                EscalationPolicy policy = policies.get(n.receiver());
                state = new EscalationState(key, n.receiver(), n.idempotencyKey(), n, -1, 0, now,
                        now.plus(policy.levels().get(0).delay()), false);
            } else {
                state = state.withNotification(n);
            }
            if (dispatcher.claim(claim, new ClaimWork(List.of(), state, null))) {
                open.put(key, state);
                if (opening) {
                    step(state, now);
                }
            }
            return;
        }
        if (state == null) {
            dispatcher.claim(claim, new ClaimWork(List.of(), null, null)); // nobody told, but logged as told
            return;
        }
        EscalationPolicy policy = policies.get(state.receiver());
        List<ClaimWork.Delivery> deliveries = new ArrayList<>();
        for (int level = 0; level <= state.level() && level < policy.levels().size(); level++) {
            for (String channel : policy.levels().get(level).channels()) {
                if (deliveries.stream().noneMatch(d -> d.channel().equals(channel))) {
                    deliveries.add(new ClaimWork.Delivery(channel, state.baseKey() + "#resolved",
                            n.withIdempotencyKey(state.baseKey() + "#resolved")));
                }
            }
        }
        if (dispatcher.claim(claim, new ClaimWork(deliveries, null, key))) {
            open.remove(key);
        }
    }

    /** Shared store: the open incidents as stored, acknowledged where an acknowledgement is stored. */
    void refresh() {
        if (!store.shared()) {
            return;
        }
        Set<String> acknowledged = new LinkedHashSet<>();
        for (Acknowledgement ack : store.acknowledgements()) {
            acknowledged.add(ack.incidentKey());
        }
        Map<String, EscalationState> fresh = new LinkedHashMap<>();
        for (EscalationState s : store.escalations()) {
            fresh.put(s.incidentKey(), acknowledged.contains(s.incidentKey()) && !s.acknowledged() ? s.acknowledge() : s);
        }
        open.clear();
        open.putAll(fresh);
    }

    void tick(Instant now) {
        refresh();
        for (EscalationState state : new ArrayList<>(open.values())) {
            step(state, now);
        }
    }

    private void step(EscalationState state, Instant now) {
        EscalationPolicy policy = policies.get(state.receiver());
        if (policy == null) {
            return; // the policy was removed from the configuration; the state waits for its resolve
        }
        List<EscalationPolicy.Level> levels = policy.levels();
        EscalationState s = state;
        while (!s.acknowledged() && s.nextAt() != null && !now.isBefore(s.nextAt())) {
            if (s.level() + 1 < levels.size()) {
                int level = s.level() + 1;
                notifyLevel(s, levels.get(level), s.baseKey() + "#L" + level);
                if (level > 0) {
                    counter(level).increment();
                }
                Instant next = level + 1 < levels.size() ? s.nextAt().plus(levels.get(level + 1).delay())
                        : policy.repeatInterval() == null ? null : s.nextAt().plus(policy.repeatInterval());
                s = s.advanced(level, 0, next);
            } else {
                int repeats = s.repeats() + 1;
                notifyLevel(s, levels.get(s.level()), s.baseKey() + "#L" + s.level() + "#R" + repeats);
                counter(s.level()).increment();
                Instant next = s.nextAt().plus(policy.repeatInterval());
                if (!next.isAfter(now)) {
                    next = now.plus(policy.repeatInterval()); // after downtime: one re-notification, not a burst
                }
                s = s.advanced(s.level(), repeats, next);
            }
            store.putEscalation(s);
            open.put(s.incidentKey(), s);
        }
    }

    private void notifyLevel(EscalationState s, EscalationPolicy.Level level, String key) {
        AlertNotification n = s.notification().withIdempotencyKey(key);
        for (String channel : level.channels()) {
            dispatcher.enqueue(n, channel);
        }
    }

    List<EscalationState> open() {
        return new ArrayList<>(open.values());
    }
}
