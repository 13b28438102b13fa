package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.SeriesSource;
import io.vigil.alerts.promql.Value;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An alerting rule and its alerts, with Prometheus' state machine: a new result is pending; it fires once it has
 * been pending for {@code for}; when its result disappears, a pending alert is dropped and a firing one keeps
 * firing for {@code keep_firing_for}, then resolves; a resolved alert is kept 15 minutes (so it can be reported)
 * and replaced by a new pending one if the condition returns. Alerts are keyed by their result series, as in
 * Prometheus; labels and annotations are expanded from the rule's templates with that series and value.
 */
final class AlertingRuleState implements RuleState {

    /** How long a resolved alert is kept, as Prometheus' {@code resolvedRetention}. */
    static final long RESOLVED_RETENTION_MILLIS = Duration.ofMinutes(15).toMillis();

    /** One alert of this rule: mutable, confined to the evaluation thread. */
    static final class Instance {
        Labels labels;
        Map<String, String> annotations;
        AlertEngine.State state;
        long activeAt;
        long firedAt = -1;
        long resolvedAt = -1;
        long keepFiringSince = -1;
        double value;

        AlertEngine.Alert snapshot(String name) {
            return new AlertEngine.Alert(name, labels.toMap(), annotations, state, Instant.ofEpochMilli(activeAt),
                    firedAt < 0 ? null : Instant.ofEpochMilli(firedAt),
                    resolvedAt < 0 ? null : Instant.ofEpochMilli(resolvedAt), value, Fingerprint.of(labels));
        }
    }

    private final AlertRule rule;
    private final Map<String, String> externalLabels;
    private final Map<Labels, Instance> active = new LinkedHashMap<>();
    /** Alerts that resolved in the last evaluation, to report once. */
    private final List<AlertEngine.Alert> justResolved = new ArrayList<>();
    private Set<Labels> lastOutput = Set.of();

    AlertingRuleState(AlertRule rule, Map<String, String> externalLabels) {
        this.rule = rule;
        this.externalLabels = externalLabels;
    }

    @Override
    public AlertRule rule() {
        return rule;
    }

    @Override
    public void evaluate(long ts, SeriesSource source, RuleOutput output) {
        List<Value.Sample> samples = ResultVector.of(rule.expression().evaluate(ts, source));
        justResolved.clear();
        Map<Labels, Instance> results = new HashMap<>();
        Set<Labels> alertLabels = new HashSet<>();
        for (Value.Sample sample : samples) {
            Labels seriesLabels = sample.labels();
            TreeMap<String, String> labels = seriesLabels.toMap();
            labels.remove(Labels.METRIC_NAME);
            for (Map.Entry<String, Template> e : rule.labelTemplates().entrySet()) {
                labels.put(e.getKey(), e.getValue().expand(seriesLabels, sample.value(), externalLabels));
            }
            labels.put("alertname", rule.name());
            Labels built = Labels.of(labels);
            if (!alertLabels.add(built)) {
                throw new IllegalStateException(
                        "vector contains metrics with the same labelset after applying alert labels");
            }
            Map<String, String> annotations = new TreeMap<>();
            for (Map.Entry<String, Template> e : rule.annotationTemplates().entrySet()) {
                String text = e.getValue().expand(seriesLabels, sample.value(), externalLabels);
                if (!text.isEmpty()) {
                    annotations.put(e.getKey(), text);
                }
            }
            Instance candidate = new Instance();
            candidate.labels = built;
            candidate.annotations = Map.copyOf(annotations);
            candidate.value = sample.value();
            results.put(seriesLabels, candidate);
        }
        for (Map.Entry<Labels, Instance> e : results.entrySet()) {
            Instance existing = active.get(e.getKey());
            if (existing != null && existing.state != AlertEngine.State.RESOLVED) {
                existing.value = e.getValue().value;
                existing.annotations = e.getValue().annotations;
                continue;
            }
            Instance fresh = e.getValue();
            fresh.state = AlertEngine.State.PENDING;
            fresh.activeAt = ts;
            active.put(e.getKey(), fresh);
        }
        Set<Labels> produced = new HashSet<>();
        for (Iterator<Map.Entry<Labels, Instance>> it = active.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Labels, Instance> e = it.next();
            Instance a = e.getValue();
            if (!results.containsKey(e.getKey())) {
                boolean keepFiring = false;
                if (a.state == AlertEngine.State.FIRING && !rule.keepFiringFor().isZero()) {
                    if (a.keepFiringSince < 0) {
                        a.keepFiringSince = ts;
                    }
                    keepFiring = ts - a.keepFiringSince < rule.keepFiringFor().toMillis();
                }
                if (a.state == AlertEngine.State.PENDING
                        || a.resolvedAt >= 0 && ts - a.resolvedAt > RESOLVED_RETENTION_MILLIS) {
                    it.remove();
                }
                if (a.state != AlertEngine.State.RESOLVED && !keepFiring) {
                    boolean wasFiring = a.state == AlertEngine.State.FIRING;
                    a.state = AlertEngine.State.RESOLVED;
                    a.resolvedAt = ts;
                    if (wasFiring) {
                        justResolved.add(a.snapshot(rule.name()));
                    }
                }
                if (!keepFiring) {
                    continue;
                }
            } else {
                a.keepFiringSince = -1;
            }
            if (a.state == AlertEngine.State.PENDING && ts - a.activeAt >= rule.forDuration().toMillis()) {
                a.state = AlertEngine.State.FIRING;
                a.firedAt = ts;
            }
            Labels alerts = a.labels.with(Labels.METRIC_NAME, "ALERTS")
                    .with("alertstate", a.state == AlertEngine.State.FIRING ? "firing" : "pending");
            output.record(alerts, 1);
            produced.add(alerts);
            Labels forState = a.labels.with(Labels.METRIC_NAME, "ALERTS_FOR_STATE");
            output.record(forState, a.activeAt / 1000);
            produced.add(forState);
        }
        for (Labels previous : lastOutput) {
            if (!produced.contains(previous)) {
                output.stale(previous);
            }
        }
        lastOutput = produced;
    }

    /** Pending and firing alerts (not resolved ones), as snapshots. */
    List<AlertEngine.Alert> activeAlerts() {
        List<AlertEngine.Alert> result = new ArrayList<>();
        for (Instance a : active.values()) {
            if (a.state != AlertEngine.State.RESOLVED) {
                result.add(a.snapshot(rule.name()));
            }
        }
        return result;
    }

    /** Firing alerts whose condition cleared in the last evaluation. */
    List<AlertEngine.Alert> resolvedInLastEvaluation() {
        return List.copyOf(justResolved);
    }
}
