package io.vigil.core.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Alertmanager's correlation as pure logic, plus root cause by dependency graph: alerts go in with
 * {@link #receive}, are routed through the {@link Route} tree into aggregation groups, and {@link #tick} returns
 * the {@link Notification}s due at that instant, after silences, {@link InhibitRule inhibition} and the
 * {@link DependencyGraph} have muted what they match. No threads, no I/O, no clock of its own: every call takes
 * {@code now}, so a runtime drives it from a scheduler (call {@link #tick} at {@link #nextTickAt()}, or every
 * second) and tests drive it from a fake clock. Methods are synchronized, so an HTTP API may query while a
 * scheduler ticks.
 *
 * <p>Timers are Alertmanager's: a group's first notification after {@code group_wait}; then a flush every
 * {@code group_interval}, which notifies if a new alert fires in the group (or a new symptom joined one of its
 * incidents), if everything resolved, or if something newly resolved and the receiver sends resolved
 * notifications; an unchanged group is notified again at the first flush more than {@code repeat_interval} after
 * the last notification. Resolved alerts are listed once and then leave the group.
 *
 * <p>Bounded: at most {@code maxAlerts} alerts (then the longest-resolved is forgotten; with none resolved the
 * new alert is dropped and counted in {@link Stats#droppedAlerts()}), resolved alerts forgotten
 * {@code resolvedRetention} after they ended, at most {@code maxSilences} silences.
 *
 * <pre>{@code
 * CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("ops").groupBy("alertname").build())
 *         .inhibitRule(InhibitRule.builder().sourceMatchers("severity=critical").targetMatchers("severity=warning")
 *                 .equal("service").build())
 *         .dependencies(DependencyGraph.builder().dependsOn("checkout", "orders-db").build())
 *         .build();
 * engine.receive(alert, now);
 * for (Notification n : engine.tick(now)) { dispatcher.enqueue(n); }
 * }</pre>
 */
public final class CorrelationEngine {

    private final RouteNode root;
    private final List<InhibitRule> inhibitRules;
    private final DependencyGraph graph;
    private final Map<String, Boolean> sendResolved;
    private final boolean defaultSendResolved;
    private final Duration resolveTimeout;
    private final int maxAlerts;
    private final AlertStore store;
    private final SilenceStore silences;
    private final Map<GroupId, AggregationGroup> groups = new LinkedHashMap<>();
    private final Map<GroupId, NotifiedState> notificationLog = new HashMap<>();
    private long groupCounter;

    private CorrelationEngine(Builder b) {
        this.root = RouteNode.root(b.route);
        this.inhibitRules = List.copyOf(b.inhibitRules);
        this.graph = b.graph;
        this.sendResolved = Map.copyOf(b.sendResolved);
        this.defaultSendResolved = b.defaultSendResolved;
        this.resolveTimeout = b.resolveTimeout;
        this.maxAlerts = b.maxAlerts;
        this.store = new AlertStore(b.maxAlerts, b.resolvedRetention);
        this.silences = new SilenceStore(b.maxSilences, b.silenceRetention);
    }

    public static Builder builder(Route route) {
        return new Builder(route);
    }

    // ---------------------------------------------------------------- alerts in

    /**
     * Takes an alert (new, updated or resolved), as Alertmanager's {@code POST /api/v2/alerts} does: an
     * open-ended alert gets {@code endsAt = now + resolve_timeout}; an update with an overlapping time range is
     * merged with the alert it updates. Returns false if it was dropped because {@code maxAlerts} firing alerts
     * are held. Never throws for a valid {@link Alert}.
     */
    public synchronized boolean receive(Alert alert, Instant now) {
        Objects.requireNonNull(alert, "alert");
        boolean timeout = alert.endsAt().isEmpty();
        Alert withEnd = timeout ? alert.withEndsAt(max(now.plus(resolveTimeout), alert.startsAt())) : alert;
        StoredAlert stored = store.put(new StoredAlert(withEnd, timeout, now), now);
        if (stored == null) {
            return false;
        }
        for (RouteNode node : root.match(stored.alert().labels())) {
            GroupId id = new GroupId(node, node.groupLabels(stored.alert().labels()));
            AggregationGroup group = groups.get(id);
            if (group == null) {
                group = new AggregationGroup(id, groupCounter++, now);
                groups.put(id, group);
            }
            group.insert(stored, now);
        }
        return true;
    }

    /** {@link #receive(Alert, Instant)} for each; returns how many were taken. */
    public synchronized int receive(Collection<Alert> alerts, Instant now) {
        int taken = 0;
        for (Alert alert : alerts) {
            if (receive(alert, now)) {
                taken++;
            }
        }
        return taken;
    }

    // ---------------------------------------------------------------- notifications out

    /**
     * Flushes every group whose timer is due at {@code now} and returns the notifications to send, in the order
     * the groups became due. Also forgets resolved alerts and expired silences past their retention.
     */
    public synchronized List<Notification> tick(Instant now) {
        store.collectGarbage(now);
        silences.collectGarbage(now);
        List<AggregationGroup> due = new ArrayList<>();
        for (AggregationGroup group : groups.values()) {
            if (group.isDue(now)) {
                due.add(group);
            }
        }
        List<Notification> out = new ArrayList<>();
        if (!due.isEmpty()) {
            due.sort(Comparator.comparing((AggregationGroup g) -> g.nextFlush).thenComparingLong(g -> g.order));
            Correlation correlation = correlation(now);
            for (AggregationGroup group : due) {
                flush(group, correlation, now, out);
            }
        }
        collectNotificationLog(now);
        return out;
    }

    /** When the earliest group timer is due; empty when no group exists. */
    public synchronized Optional<Instant> nextTickAt() {
        Instant next = null;
        for (AggregationGroup group : groups.values()) {
            if (next == null || group.nextFlush.isBefore(next)) {
                next = group.nextFlush;
            }
        }
        return Optional.ofNullable(next);
    }

    private void flush(AggregationGroup group, Correlation correlation, Instant now, List<Notification> out) {
        List<StoredAlert> snapshot = new ArrayList<>(group.alerts.values());
        List<Alert> firing = new ArrayList<>();
        List<Alert> resolved = new ArrayList<>();
        for (StoredAlert stored : snapshot) {
            Alert alert = stored.alert();
            if (correlation.isMuted(alert.labels()) || correlation.rootOf(alert) != null) {
                continue;
            }
            if (alert.isResolved(now)) {
                resolved.add(alert);
            } else {
                firing.add(alert);
            }
        }
        if (!firing.isEmpty() || !resolved.isEmpty()) {
            notifyIfNeeded(group, correlation, firing, resolved, now, out);
        }
        // Resolved alerts have been told (or had nothing to tell): they leave the group unless re-sent since.
        for (StoredAlert stored : snapshot) {
            if (stored.isResolved(now) && group.alerts.get(stored.fingerprint()) == stored) {
                group.alerts.remove(stored.fingerprint());
            }
        }
        group.hasFlushed = true;
        group.nextFlush = now.plus(group.route.groupInterval);
        if (group.alerts.isEmpty()) {
            groups.remove(group.id);
        }
    }

    private void notifyIfNeeded(AggregationGroup group, Correlation correlation, List<Alert> firing,
                                List<Alert> resolved, Instant now, List<Notification> out) {
        firing.sort(LabelSets.ALERT_ORDER);
        resolved.sort(LabelSets.ALERT_ORDER);
        Set<Long> firingKeys = new LinkedHashSet<>();
        Set<Long> resolvedKeys = new LinkedHashSet<>();
        List<Incident> incidents = new ArrayList<>();
        List<Alert> presentedFiring = new ArrayList<>(firing.size());
        List<Alert> ordered = new ArrayList<>(firing);
        ordered.addAll(resolved);
        for (Alert alert : ordered) {
            boolean rootResolved = alert.isResolved(now);
            (rootResolved ? resolvedKeys : firingKeys).add(alert.fingerprintBits());
            List<Alert> symptoms = new ArrayList<>();
            for (Alert symptom : correlation.symptomsOf(alert.fingerprintBits())) {
                if (correlation.isMuted(symptom.labels())) {
                    continue;
                }
                boolean symptomResolved = symptom.isResolved(now);
                (symptomResolved ? resolvedKeys : firingKeys).add(symptom.fingerprintBits());
                symptoms.add(present(symptom, now));
            }
            Alert presented = present(alert, now);
            if (!rootResolved) {
                presentedFiring.add(presented);
            }
            incidents.add(new Incident(presented, symptoms, rootResolved));
        }
        NotifiedState last = notificationLog.get(group.id);
        boolean sendsResolved = sendResolved.getOrDefault(group.route.receiver, defaultSendResolved);
        if (!NotifiedState.needsUpdate(last, firingKeys, resolvedKeys, sendsResolved, group.route.repeatInterval, now)) {
            return;
        }
        long sequence = last == null ? 1 : last.sequence() + 1;
        String key = idempotencyKey(group, sequence, presentedFiring, resolved, incidents);
        out.add(new Notification(group.route.receiver, group.key, group.labels, presentedFiring, resolved, incidents,
                sendsResolved, sequence, key, now, group.route.repeatInterval));
        notificationLog.put(group.id, new NotifiedState(Set.copyOf(firingKeys), Set.copyOf(resolvedKeys), now, sequence,
                group.route.repeatInterval));
    }

    /** As Alertmanager's flush: a firing alert is shown without its (timeout) end so it does not resolve later. */
    private static Alert present(Alert alert, Instant now) {
        return alert.isResolved(now) ? alert : alert.withEndsAt(null);
    }

    private static String idempotencyKey(AggregationGroup group, long sequence, List<Alert> firing, List<Alert> resolved,
                                         List<Incident> incidents) {
        StringBuilder content = new StringBuilder(256)
                .append(group.route.receiver).append('\n').append(group.key).append('\n').append(sequence).append('\n');
        for (Alert a : firing) {
            content.append('F').append(a.fingerprint()).append('@').append(a.startsAt().toEpochMilli()).append('\n');
        }
        for (Alert a : resolved) {
            content.append('R').append(a.fingerprint()).append('@').append(a.startsAt().toEpochMilli())
                    .append('-').append(a.endsAt().orElseThrow().toEpochMilli()).append('\n');
        }
        for (Incident incident : incidents) {
            for (Alert s : incident.symptoms()) {
                content.append('S').append(incident.id()).append('>').append(s.fingerprint()).append('@')
                        .append(s.startsAt().toEpochMilli()).append(s.endsAt().isPresent() ? "r" : "f").append('\n');
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void collectNotificationLog(Instant now) {
        for (Iterator<Map.Entry<GroupId, NotifiedState>> it = notificationLog.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<GroupId, NotifiedState> entry = it.next();
            if (!groups.containsKey(entry.getKey()) && !entry.getValue().expiresAt().isAfter(now)) {
                it.remove();
            }
        }
        // Bounded even under label churn: entries of vanished groups beyond the alert cap go, oldest first.
        if (notificationLog.size() > maxAlerts) {
            List<Map.Entry<GroupId, NotifiedState>> orphans = new ArrayList<>();
            for (Map.Entry<GroupId, NotifiedState> entry : notificationLog.entrySet()) {
                if (!groups.containsKey(entry.getKey())) {
                    orphans.add(entry);
                }
            }
            orphans.sort(Comparator.comparing(e -> e.getValue().at()));
            for (int i = 0; i < orphans.size() && notificationLog.size() > maxAlerts; i++) {
                notificationLog.remove(orphans.get(i).getKey());
            }
        }
    }

    private Correlation correlation(Instant now) {
        return new Correlation(store.all(), silences.active(now), inhibitRules, graph, now);
    }

    // ---------------------------------------------------------------- silences

    /**
     * Creates or updates a silence with Alertmanager's rules: without an id (or when the change would rewrite an
     * active silence's history) a new silence with a random UUID is created, starting no earlier than
     * {@code now}, and the one it replaces is expired; with an unknown id it is stored as given (restoring state).
     *
     * @throws IllegalArgumentException if a new silence would end in the past
     * @throws IllegalStateException    if {@code maxSilences} unexpired silences are held
     */
    public synchronized Silence addSilence(Silence silence, Instant now) {
        return silences.put(Objects.requireNonNull(silence, "silence"), now);
    }

    /**
     * Holds {@code silence} exactly as given, replacing the one with its id if any, without the update rules of
     * {@link #addSilence}: for a copy of a silence whose change those rules already admitted elsewhere (another
     * node sharing a store), as Alertmanager merges its peers' silences. Through {@code addSilence} the copy could be
     * refused here (an expiry, or a new start that has passed by the time this engine sees it) and become a new
     * silence with an id no other node knows.
     *
     * @throws IllegalArgumentException if the silence has no id
     * @throws IllegalStateException    if it is new here and {@code maxSilences} unexpired silences are held
     */
    public synchronized Silence restoreSilence(Silence silence, Instant now) {
        return silences.restore(Objects.requireNonNull(silence, "silence"), now);
    }

    /** Expires the silence now (Alertmanager's {@code DELETE /api/v2/silence/{id}}); empty if unknown. */
    public synchronized Optional<Silence> expireSilence(String id, Instant now) {
        return silences.expire(id, now);
    }

    public synchronized Optional<Silence> silence(String id) {
        return silences.get(id);
    }

    /** Every silence held, in creation order (expired ones until their retention ends). */
    public synchronized List<Silence> silences() {
        return silences.all();
    }

    // ---------------------------------------------------------------- queries

    /** Every alert held (firing and recently resolved) with why it is muted, in Alertmanager's order. */
    public synchronized List<AlertStatus> alerts(Instant now) {
        Correlation correlation = correlation(now);
        List<Alert> all = store.alerts();
        all.sort(LabelSets.ALERT_ORDER);
        List<AlertStatus> out = new ArrayList<>(all.size());
        for (Alert alert : all) {
            Alert inhibitor = correlation.inhibitedBy(alert.labels());
            Alert rootAlert = correlation.rootOf(alert);
            Set<String> receivers = new LinkedHashSet<>();
            for (RouteNode node : root.match(alert.labels())) {
                receivers.add(node.receiver);
            }
            out.add(new AlertStatus(alert, alert.isResolved(now), correlation.silencedBy(alert.labels()),
                    inhibitor == null ? List.of() : List.of(inhibitor.fingerprint()),
                    Optional.ofNullable(rootAlert).map(Incident::idOf), List.copyOf(receivers)));
        }
        return out;
    }

    /** The aggregation groups and their alerts, in the order they were created. */
    public synchronized List<Group> groups() {
        List<Group> out = new ArrayList<>(groups.size());
        for (AggregationGroup g : groups.values()) {
            List<Alert> alerts = new ArrayList<>(g.alerts.size());
            for (StoredAlert a : g.alerts.values()) {
                alerts.add(a.alert());
            }
            alerts.sort(LabelSets.ALERT_ORDER);
            out.add(new Group(g.key, g.route.receiver, g.labels, alerts, g.nextFlush));
        }
        return out;
    }

    /** The open incidents: every firing alert that is nobody's symptom, with its symptoms, oldest first. */
    public synchronized List<Incident> incidents(Instant now) {
        Correlation correlation = correlation(now);
        List<Incident> out = new ArrayList<>();
        for (StoredAlert stored : store.all()) {
            Alert alert = stored.alert();
            if (alert.isResolved(now) || correlation.rootOf(alert) != null) {
                continue;
            }
            List<Alert> symptoms = new ArrayList<>();
            for (Alert s : correlation.symptomsOf(alert.fingerprintBits())) {
                symptoms.add(present(s, now));
            }
            out.add(new Incident(present(alert, now), symptoms, false));
        }
        out.sort(Comparator.comparing(Incident::startsAt).thenComparing(Incident::id));
        return out;
    }

    public synchronized Stats stats() {
        return new Stats(store.size(), groups.size(), silences.size(), store.dropped());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    // ---------------------------------------------------------------- value types

    /**
     * An alert with its state, as Alertmanager's API shows it: muted by silences (ids), by inhibition (the
     * fingerprint of the inhibiting alert), or as a symptom of an incident (its id); and the receivers its routes
     * lead to.
     */
    public record AlertStatus(Alert alert, boolean resolved, List<String> silencedBy, List<String> inhibitedBy,
                              Optional<String> symptomOf, List<String> receivers) {
        public AlertStatus {
            silencedBy = List.copyOf(silencedBy);
            inhibitedBy = List.copyOf(inhibitedBy);
            receivers = List.copyOf(receivers);
        }

        /** Alertmanager's {@code suppressed} state: silenced, inhibited, or (Vigil) another alert's symptom. */
        public boolean suppressed() {
            return !silencedBy.isEmpty() || !inhibitedBy.isEmpty() || symptomOf.isPresent();
        }
    }

    /** An aggregation group: its key, receiver, group labels, alerts and when it flushes next. */
    public record Group(String groupKey, String receiver, SortedMap<String, String> labels, List<Alert> alerts,
                        Instant nextFlush) {
        public Group {
            alerts = List.copyOf(alerts);
        }
    }

    /** How full the engine is; {@code droppedAlerts} counts alerts refused because {@code maxAlerts} were firing. */
    public record Stats(int alerts, int groups, int silences, long droppedAlerts) {
    }

    public static final class Builder {
        private final Route route;
        private final List<InhibitRule> inhibitRules = new ArrayList<>();
        private DependencyGraph graph = DependencyGraph.none();
        private final Map<String, Boolean> sendResolved = new HashMap<>();
        private boolean defaultSendResolved = true;
        private Duration resolveTimeout = Duration.ofMinutes(5);
        private int maxAlerts = 10_000;
        private Duration resolvedRetention = Duration.ofMinutes(15);
        private int maxSilences = 10_000;
        private Duration silenceRetention = Duration.ofHours(120);

        private Builder(Route route) {
            this.route = Objects.requireNonNull(route, "route");
        }

        public Builder inhibitRule(InhibitRule rule) {
            inhibitRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder inhibitRules(Collection<InhibitRule> rules) {
            rules.forEach(this::inhibitRule);
            return this;
        }

        public Builder dependencies(DependencyGraph graph) {
            this.graph = Objects.requireNonNull(graph, "graph");
            return this;
        }

        /** The receiver's {@code send_resolved}; receivers not named here use {@link #defaultSendResolved}. */
        public Builder sendResolved(String receiver, boolean sendsResolved) {
            sendResolved.put(Objects.requireNonNull(receiver, "receiver"), sendsResolved);
            return this;
        }

        /** Default {@code true}. */
        public Builder defaultSendResolved(boolean sendsResolved) {
            this.defaultSendResolved = sendsResolved;
            return this;
        }

        /** Alertmanager's {@code resolve_timeout} for open-ended alerts (default 5 min). */
        public Builder resolveTimeout(Duration resolveTimeout) {
            this.resolveTimeout = positive("resolveTimeout", resolveTimeout);
            return this;
        }

        /** Alerts held at most (default 10,000). */
        public Builder maxAlerts(int maxAlerts) {
            if (maxAlerts < 1) {
                throw new IllegalArgumentException("maxAlerts must be at least 1: " + maxAlerts);
            }
            this.maxAlerts = maxAlerts;
            return this;
        }

        /** How long a resolved alert is kept for queries after it ended (default 15 min). */
        public Builder resolvedRetention(Duration retention) {
            this.resolvedRetention = positive("resolvedRetention", retention);
            return this;
        }

        /** Silences held at most (default 10,000). */
        public Builder maxSilences(int maxSilences) {
            if (maxSilences < 1) {
                throw new IllegalArgumentException("maxSilences must be at least 1: " + maxSilences);
            }
            this.maxSilences = maxSilences;
            return this;
        }

        /** How long an expired silence is kept (default 120 h, Alertmanager's {@code --data.retention}). */
        public Builder silenceRetention(Duration retention) {
            this.silenceRetention = positive("silenceRetention", retention);
            return this;
        }

        /** @throws IllegalArgumentException for a root route without receiver or with matchers or continue */
        public CorrelationEngine build() {
            return new CorrelationEngine(this);
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
