package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.SeriesSource;
import io.vigil.alerts.promql.Value;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A recording rule: writes its result under the rule's name and labels; ends series it no longer produces. */
final class RecordingRuleState implements RuleState {

    private final AlertRule rule;
    private Set<Labels> lastOutput = Set.of();

    RecordingRuleState(AlertRule rule) {
        this.rule = rule;
    }

    @Override
    public AlertRule rule() {
        return rule;
    }

    @Override
    public void evaluate(long timeMillis, SeriesSource source, RuleOutput output) {
        Set<Labels> produced = new HashSet<>();
        java.util.List<Value.Sample> samples = ResultVector.of(rule.expression().evaluate(timeMillis, source));
        java.util.List<Labels> labels = new java.util.ArrayList<>(samples.size());
        for (Value.Sample sample : samples) {
            Map<String, String> map = sample.labels().toMap();
            map.put(Labels.METRIC_NAME, rule.name());
            map.putAll(rule.labels());
            Labels out = Labels.of(map);
            if (!produced.add(out)) {
                throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
            }
            labels.add(out);
        }
        for (int i = 0; i < samples.size(); i++) {
            output.record(labels.get(i), samples.get(i).value());
        }
        for (Labels previous : lastOutput) {
            if (!produced.contains(previous)) {
                output.stale(previous);
            }
        }
        lastOutput = produced;
    }
}
