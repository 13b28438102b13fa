package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.alerts.promql.Expression;
import io.vigil.alerts.promql.Labels;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates Prometheus rule files in process. Every interval (15 s by default), on one Vigil daemon thread, it
 * samples the registry into its series store — the series {@code /metrics} shows, under the same names and
 * labels — and evaluates each rule group that is due, with Prometheus' semantics: recording rules write series
 * that later rules read, alerting rules go pending → firing → resolved with {@code for} and
 * {@code keep_firing_for}. Firing and just-resolved alerts go to the {@link Listener}; the number firing per
 * severity is the {@code alerts.active{severity}} gauge. A rule that fails is counted in
 * {@code vigil.internal.errors{component="alerts.rules"}} and logged at most once a minute; the others go on.
 * Nothing runs on the application's threads. With {@link Builder#alertManager} the alerts also go, as Prometheus
 * sends them to Alertmanager, to an {@link AlertManager} configured from {@code alertmanager.yml}: correlation,
 * delivery and escalation (see the module README, "Putting it together").
 *
 * <pre>{@code
 * AlertEngine engine = AlertEngine.builder(prometheusRegistry)
 *         .rules(RuleFiles.pack())
 *         .listener(alerts -> alerts.forEach(a -> log.warn("{} {}", a.state(), a.labels())))
 *         .build()
 *         .start();
 * }</pre>
 */
public final class AlertEngine implements AutoCloseable {

    /** Prometheus' alert states; {@code RESOLVED} is an alert that fired and whose condition cleared. */
    public enum State {
        PENDING, FIRING, RESOLVED
    }

    /**
     * One alert: what Prometheus sends to Alertmanager.
     *
     * @param name        the rule's name, also the {@code alertname} label
     * @param labels      series labels (without {@code __name__}) + rule labels + {@code alertname}
     * @param annotations expanded annotation templates
     * @param activeAt    when it became pending
     * @param firedAt     when it started firing, or null
     * @param resolvedAt  when it resolved, or null
     * @param value       the expression's value at the last evaluation the condition held
     * @param fingerprint Alertmanager's fingerprint of {@code labels}: stable identity across evaluations and restarts
     */
    public record Alert(String name, Map<String, String> labels, Map<String, String> annotations, State state,
            Instant activeAt, Instant firedAt, Instant resolvedAt, double value, String fingerprint) {
        public Alert {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
            annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
        }
    }

    /** Receives alerts after each evaluation; called on the engine's thread, so it should hand off quickly. */
    @FunctionalInterface
    public interface Listener {
        /** Every firing alert and every alert resolved by this evaluation; not called when there are none. */
        void onAlerts(List<Alert> alerts);
    }

    private final Clock clock;
    private final Duration interval;
    private final Listener listener;
    private final AlertManager alertManager;
    private final RegistrySampler sampler;
    private final SeriesStore store;
    private final List<GroupState> groups = new ArrayList<>();
    private final InternalErrors ruleErrors;
    private final InternalErrors seriesErrors;
    private final InternalErrors listenerErrors;
    private final Map<String, AtomicLong> firingBySeverity = new LinkedHashMap<>();
    private final Object lock = new Object();
    private volatile List<Alert> active = List.of();
    private ScheduledExecutorService scheduler;

    private AlertEngine(Builder b) {
        this.clock = b.clock;
        this.interval = b.interval;
        this.alertManager = b.alertManager;
        this.listener = b.alertManager == null ? b.listener : forwarding(b);
        PrometheusMeterRegistry prometheus = RegistrySampler.prometheusOf(b.registry);
        this.sampler = new RegistrySampler(prometheus);
        List<Expression> expressions = new ArrayList<>();
        for (RuleFiles.Group group : b.rules.groups()) {
            groups.add(new GroupState(group, b.externalLabels));
            for (AlertRule rule : group.rules()) {
                expressions.add(rule.expression());
                if (rule.isAlerting()) {
                    String severity = rule.labels().get("severity");
                    if (severity != null && !severity.contains("{{")) {
                        firingBySeverity.computeIfAbsent(severity, s -> new AtomicLong());
                    }
                }
            }
        }
        this.store = new SeriesStore(expressions, interval, b.maxSeries);
        this.ruleErrors = InternalErrors.forComponent(b.registry, "alerts.rules");
        this.seriesErrors = InternalErrors.forComponent(b.registry, "alerts.series");
        this.listenerErrors = InternalErrors.forComponent(b.registry, "alerts.listener");
        firingBySeverity.forEach((severity, count) -> MetricCatalog.ALERTS_ACTIVE.gauge(b.registry,
                Tags.of("severity", severity), count, AtomicLong::get));
    }

    /** The user's listener (if any), then the forwarder to the alert manager. */
    private static Listener forwarding(Builder b) {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (AlertRule rule : b.rules.rules()) {
            if (rule.isAlerting()) {
                exprs.putIfAbsent(rule.name(), rule.expr());
            }
        }
        Listener forwarder = new RuleAlertForwarder(b.alertManager, exprs, b.externalUrl, b.interval, b.clock);
        Listener user = b.listener;
        if (user == null) {
            return forwarder;
        }
        return alerts -> {
            try {
                user.onAlerts(alerts);
            } finally {
                forwarder.onAlerts(alerts);
            }
        };
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** Starts evaluating every interval on a daemon thread named {@code vigil-alerts}. */
    public AlertEngine start() {
        synchronized (lock) {
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "vigil-alerts");
                    thread.setDaemon(true);
                    return thread;
                });
                long millis = interval.toMillis();
                scheduler.scheduleAtFixedRate(this::evaluate, millis, millis, TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    /**
     * Samples the registry and evaluates the due groups now, at the clock's time; what the scheduled thread does
     * every interval (tests call it on a fake clock). Never throws.
     */
    public void evaluate() {
        synchronized (lock) {
            try {
                tick(clock.millis());
            } catch (RuntimeException | Error e) {
                seriesErrors.record(e);
            }
        }
    }

    /** Pending and firing alerts after the last evaluation. */
    public List<Alert> alerts() {
        return active;
    }

    /** Series the store holds now (those some rule selects). */
    public int storedSeries() {
        synchronized (lock) {
            return store.size();
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (lock) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (alertManager != null) {
            alertManager.close();
        }
    }

    private void tick(long now) {
        store.beginTick(now);
        sampler.sampleInto(store);
        store.endScrape();
        RuleOutput output = new RuleOutput() {
            @Override
            public void record(Labels labels, double value) {
                store.record(labels, value);
            }

            @Override
            public void stale(Labels labels) {
                store.markStale(labels);
            }
        };
        for (GroupState group : groups) {
            if (group.due(now, interval.toMillis())) {
                group.evaluate(now, store, output, (rule, error) -> ruleErrors.record(new IllegalStateException(
                        "rule \"" + rule.name() + "\" of group \"" + group.group().name() + "\" failed: "
                                + error.getMessage(), error)));
            }
        }
        long overflow = store.drainOverflow();
        for (long i = 0; i < overflow; i++) {
            seriesErrors.record(SeriesCapReached.INSTANCE);
        }
        publish();
    }

    private void publish() {
        List<Alert> current = new ArrayList<>();
        List<Alert> notify = new ArrayList<>();
        Map<String, Long> firing = new TreeMap<>();
        for (GroupState group : groups) {
            for (RuleState rule : group.rules()) {
                if (rule instanceof AlertingRuleState alerting) {
                    for (Alert alert : alerting.activeAlerts()) {
                        current.add(alert);
                        if (alert.state() == State.FIRING) {
                            notify.add(alert);
                            firing.merge(alert.labels().getOrDefault("severity", ""), 1L, Long::sum);
                        }
                    }
                    notify.addAll(alerting.resolvedInLastEvaluation());
                }
            }
        }
        firingBySeverity.forEach((severity, count) -> count.set(firing.getOrDefault(severity, 0L)));
        active = List.copyOf(current);
        if (!notify.isEmpty() && listener != null) {
            try {
                listener.onAlerts(List.copyOf(notify));
            } catch (RuntimeException e) {
                listenerErrors.record(e);
            }
        }
    }

    /** Configures an {@link AlertEngine}. */
    public static final class Builder {
        private final MeterRegistry registry;
        private RuleFiles rules = RuleFiles.of();
        private Duration interval = Duration.ofSeconds(15);
        private Clock clock = Clock.systemUTC();
        private Listener listener;
        private AlertManager alertManager;
        private String externalUrl = "";
        private int maxSeries = 50_000;
        private Map<String, String> externalLabels = Map.of();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Adds rule groups (call again to add more; group names must stay unique). */
        public Builder rules(RuleFiles rules) {
            this.rules = this.rules.plus(Objects.requireNonNull(rules, "rules"));
            return this;
        }

        /** How often the registry is sampled and the rules are evaluated (Prometheus' evaluation_interval). */
        public Builder interval(Duration interval) {
            if (interval == null || interval.toMillis() < 1) {
                throw new IllegalArgumentException("interval must be at least 1 ms");
            }
            this.interval = interval;
            return this;
        }

        /** The time evaluations are stamped with; tests pass a fake clock and call {@link AlertEngine#evaluate()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sends firing and resolved alerts to {@code manager}'s correlation engine after each evaluation (as
         * Prometheus sends them to Alertmanager: {@code endsAt} is the resolve time, or for a firing alert four
         * evaluation intervals — at least four minutes, Prometheus' resend delay — ahead, so an engine that stops
         * lets its alerts resolve). The engine owns the manager from then on: {@link AlertEngine#close()} closes it.
         */
        public Builder alertManager(AlertManager manager) {
            this.alertManager = Objects.requireNonNull(manager, "manager");
            return this;
        }

        /** Prometheus' {@code --web.external-url}: the base of each alert's {@code generatorURL} (default none). */
        public Builder externalUrl(String url) {
            String value = Objects.requireNonNull(url, "url");
            this.externalUrl = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            return this;
        }

        /** The most series the store keeps (default 50,000); more are dropped and counted. */
        public Builder maxSeries(int maxSeries) {
            if (maxSeries < 1) {
                throw new IllegalArgumentException("maxSeries must be positive");
            }
            this.maxSeries = maxSeries;
            return this;
        }

        /** Prometheus' external labels, for {@code {{ $externalLabels.x }}} in templates. */
        public Builder externalLabels(Map<String, String> labels) {
            this.externalLabels = Map.copyOf(labels);
            return this;
        }

        public AlertEngine build() {
            for (RuleFiles.Group group : rules.groups()) {
                if (group.interval() != null && group.interval().compareTo(interval) < 0) {
                    throw new IllegalArgumentException("group \"" + group.name() + "\" has interval "
                            + Durations.format(group.interval()) + ", shorter than the engine's "
                            + Durations.format(interval));
                }
            }
            return new AlertEngine(this);
        }
    }
}
