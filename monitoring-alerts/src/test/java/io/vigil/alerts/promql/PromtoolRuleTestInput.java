package io.vigil.alerts.promql;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rule engine's view of a promtool test file, read by {@link PromtoolTestFile}: what the alert-rule runner in
 * {@code io.vigil.alerts} needs (rule files, input series, {@code alert_rule_test} cases), and the expression cases
 * run by {@link PromtoolExprTestRunner} against a source the runner supplies (input series plus recorded series).
 */
public final class PromtoolRuleTestInput {

    /** One test group. {@code exprTests} runs every {@code promql_expr_test} case against a source; failures returned. */
    public record Group(String name, long intervalMillis, List<Series> series, List<JsonNode> alertTests,
                        Map<String, String> externalLabels, long maxExprEvalTimeMillis,
                        Function<SeriesSource, List<String>> exprTests) {
    }

    private final PromtoolTestFile file;

    private PromtoolRuleTestInput(PromtoolTestFile file) {
        this.file = file;
    }

    public static PromtoolRuleTestInput read(Path path) {
        return new PromtoolRuleTestInput(PromtoolTestFile.read(path));
    }

    /** The rule files, resolved against the test file's directory as promtool resolves them. */
    public List<Path> ruleFiles() {
        List<Path> out = new ArrayList<>();
        for (String f : file.ruleFiles()) {
            out.add(file.path().toAbsolutePath().getParent().resolve(f).normalize());
        }
        return out;
    }

    public long evaluationIntervalMillis() {
        return file.evaluationIntervalMillis();
    }

    public List<String> groupEvalOrder() {
        return file.groupEvalOrder();
    }

    /** A Prometheus duration in milliseconds ({@code eval_time}). */
    public static long duration(String text) {
        return PromtoolTestFile.duration(text);
    }

    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (PromtoolTestFile.TestGroup g : file.tests()) {
            Map<String, String> external = new LinkedHashMap<>();
            g.externalLabels().properties().forEach(e -> external.put(e.getKey(), e.getValue().asText()));
            long maxExpr = 0;
            for (PromtoolTestFile.ExprTest t : g.exprTests()) {
                maxExpr = Math.max(maxExpr, t.evalTimeMillis());
            }
            out.add(new Group(g.name(), g.intervalMillis(), g.series(), g.alertRuleTests(), external, maxExpr,
                    source -> {
                        List<String> failures = new ArrayList<>();
                        for (PromtoolTestFile.ExprTest t : g.exprTests()) {
                            Optional<String> failure = PromtoolExprTestRunner.run(source, t);
                            failure.ifPresent(failures::add);
                        }
                        return failures;
                    }));
        }
        return out;
    }

    /** A source over fixed series (the input series). */
    public static SeriesSource listSource(List<Series> series) {
        return new ListSeriesSource(series);
    }
}
