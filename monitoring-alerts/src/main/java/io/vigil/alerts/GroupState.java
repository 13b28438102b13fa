package io.vigil.alerts;

import io.vigil.alerts.promql.SeriesSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A rule group at run time: its rules evaluated in order at one timestamp, so each sees what the recording rules
 * before it wrote, as in Prometheus. A rule that fails is reported and skipped; the others still run.
 */
final class GroupState {

    private final RuleFiles.Group group;
    private final List<RuleState> rules = new ArrayList<>();
    private long lastEvaluation = Long.MIN_VALUE;

    GroupState(RuleFiles.Group group, Map<String, String> externalLabels) {
        this.group = group;
        for (AlertRule rule : group.rules()) {
            rules.add(rule.isAlerting() ? new AlertingRuleState(rule, externalLabels) : new RecordingRuleState(rule));
        }
    }

    RuleFiles.Group group() {
        return group;
    }

    List<RuleState> rules() {
        return rules;
    }

    /** Whether the group's own interval (or, without one, every tick) has come round at {@code timeMillis}. */
    boolean due(long timeMillis, long defaultIntervalMillis) {
        long interval = group.interval() == null ? defaultIntervalMillis : group.interval().toMillis();
        // Ticks jitter by a few milliseconds: a group is due when at most half a tick is left of its interval.
        return lastEvaluation == Long.MIN_VALUE || timeMillis - lastEvaluation >= interval - defaultIntervalMillis / 2;
    }

    void evaluate(long timeMillis, SeriesSource source, RuleOutput output, BiConsumer<AlertRule, Exception> errors) {
        lastEvaluation = timeMillis;
        for (RuleState rule : rules) {
            try {
                rule.evaluate(timeMillis, source, output);
            } catch (RuntimeException e) {
                errors.accept(rule.rule(), e);
            }
        }
    }
}
