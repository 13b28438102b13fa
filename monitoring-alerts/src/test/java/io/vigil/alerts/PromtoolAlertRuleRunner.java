package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerts.promql.PromtoolRuleTestInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a promtool test file's rules through Vigil's rule engine as {@code promtool test rules} runs them through
 * Prometheus': every group evaluated at 0, evaluation_interval, … up to the largest eval_time, in file order (or
 * {@code group_eval_order}), rule outputs written back to the test storage; at each {@code alert_rule_test}
 * eval_time the firing alerts of that name (labels with {@code alertname}, annotations) must equal the expected
 * ones exactly; then the {@code promql_expr_test} cases are run over the input and recorded series.
 */
final class PromtoolAlertRuleRunner {

    private PromtoolAlertRuleRunner() {
    }

    /** promtool's comparison unit: labels and annotations of one firing alert. */
    record LabelsAndAnnotations(Map<String, String> labels, Map<String, String> annotations) {
        @Override
        public String toString() {
            return "Labels:" + labels + " Annotations:" + annotations;
        }
    }

    /** The failures, in promtool's manner; empty when the file passes. */
    static List<String> run(Path file) {
        PromtoolRuleTestInput input = PromtoolRuleTestInput.read(file);
        RuleFiles rules = RuleFiles.load(input.ruleFiles().toArray(new Path[0]));
        List<RuleFiles.Group> ordered = new ArrayList<>(rules.groups());
        if (!input.groupEvalOrder().isEmpty()) {
            ordered.sort(Comparator.comparingInt(g -> input.groupEvalOrder().indexOf(g.name())));
        }
        List<String> failures = new ArrayList<>();
        for (PromtoolRuleTestInput.Group group : input.groups()) {
            failures.addAll(runGroup(group, ordered, input.evaluationIntervalMillis()));
        }
        return failures;
    }

    private static List<String> runGroup(PromtoolRuleTestInput.Group test, List<RuleFiles.Group> ruleGroups,
            long evalInterval) {
        List<String> failures = new ArrayList<>();
        List<GroupState> groups = new ArrayList<>();
        for (RuleFiles.Group g : ruleGroups) {
            groups.add(new GroupState(g, test.externalLabels()));
        }
        TreeMap<Long, List<JsonNode>> alertTests = new TreeMap<>();
        long maxEval = test.maxExprEvalTimeMillis();
        for (JsonNode t : test.alertTests()) {
            long at = PromtoolRuleTestInput.duration(t.path("eval_time").asText("0"));
            alertTests.computeIfAbsent(at, k -> new ArrayList<>()).add(t);
            maxEval = Math.max(maxEval, at);
        }
        RecordedOverlay storage = new RecordedOverlay(PromtoolRuleTestInput.listSource(test.series()));
        String name = test.name().isEmpty() ? "" : "    name: " + test.name() + ",\n";
        for (long ts = 0; ts <= maxEval; ts += evalInterval) {
            storage.at(ts);
            List<String> evalErrors = new ArrayList<>();
            final long now = ts;
            for (GroupState g : groups) {
                g.evaluate(ts, storage, storage, (rule, error) -> evalErrors.add("    rule: " + rule.name()
                        + ", time: " + Durations.format(java.time.Duration.ofMillis(now)) + ", err: " + error.getMessage()));
            }
            if (!evalErrors.isEmpty()) {
                failures.addAll(evalErrors);
                return failures;
            }
            for (Map.Entry<Long, List<JsonNode>> due : alertTests.subMap(ts, true, ts + evalInterval, false).entrySet()) {
                for (JsonNode t : due.getValue()) {
                    String alertname = t.path("alertname").asText();
                    List<LabelsAndAnnotations> got = new ArrayList<>();
                    for (GroupState g : groups) {
                        for (RuleState r : g.rules()) {
                            if (r instanceof AlertingRuleState a && a.rule().name().equals(alertname)) {
                                for (AlertEngine.Alert alert : a.activeAlerts()) {
                                    if (alert.state() == AlertEngine.State.FIRING) {
                                        got.add(new LabelsAndAnnotations(new TreeMap<>(alert.labels()),
                                                new TreeMap<>(alert.annotations())));
                                    }
                                }
                            }
                        }
                    }
                    List<LabelsAndAnnotations> expected = new ArrayList<>();
                    for (JsonNode a : t.path("exp_alerts")) {
                        TreeMap<String, String> labels = strings(a.path("exp_labels"));
                        labels.put("alertname", alertname);
                        expected.add(new LabelsAndAnnotations(labels, strings(a.path("exp_annotations"))));
                    }
                    Comparator<LabelsAndAnnotations> order = Comparator.comparing(LabelsAndAnnotations::toString);
                    got.sort(order);
                    expected.sort(order);
                    if (!got.equals(expected)) {
                        failures.add(name + "    alertname: " + alertname + ", time: "
                                + Durations.format(java.time.Duration.ofMillis(due.getKey())) + ",\n        exp:"
                                + expected + ",\n        got:" + got);
                    }
                }
            }
        }
        failures.addAll(test.exprTests().apply(storage));
        return failures;
    }

    private static TreeMap<String, String> strings(JsonNode node) {
        TreeMap<String, String> out = new TreeMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
