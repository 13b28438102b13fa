package io.vigil.alerts.promql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code promtool test rules} file as data (format:
 * https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/): rule files, evaluation
 * interval, and test groups with their input series, {@code promql_expr_test} cases and — kept as raw YAML
 * nodes for the rule engine's runner — {@code alert_rule_test} cases. Durations are Prometheus' syntax;
 * defaults are promtool 2.42's (evaluation interval 1m).
 */
record PromtoolTestFile(Path path, List<String> ruleFiles, long evaluationIntervalMillis, List<String> groupEvalOrder,
                        List<TestGroup> tests) {

    record TestGroup(String name, long intervalMillis, long evaluationIntervalMillis, List<InputSeries> inputSeries,
                     List<ExprTest> exprTests, List<JsonNode> alertRuleTests, JsonNode externalLabels,
                     String externalUrl) {

        /**
         * The input series as promtool's lazy loader holds them when the expression tests run: points at 0,
         * interval, 2×interval, …, but only up to the last rule evaluation, i.e. the largest multiple of the
         * evaluation interval not after the group's latest {@code eval_time}; later points are never loaded
         * (a negative offset cannot see them).
         */
        List<Series> series() {
            long loadedUntil = maxEvalTimeMillis() / evaluationIntervalMillis * evaluationIntervalMillis;
            List<Series> out = new ArrayList<>();
            for (InputSeries s : inputSeries) {
                Series all = InputSeriesNotation.toSeries(MetricNotation.parse(s.series()), s.values(), intervalMillis);
                int n = 0;
                while (n < all.timestamps().length && all.timestamps()[n] <= loadedUntil) {
                    n++;
                }
                out.add(new Series(all.labels(), java.util.Arrays.copyOf(all.timestamps(), n),
                        java.util.Arrays.copyOf(all.values(), n)));
            }
            return out;
        }

        /** The latest {@code eval_time} of the group's alert and expression tests. */
        long maxEvalTimeMillis() {
            long max = 0;
            for (ExprTest t : exprTests) {
                max = Math.max(max, t.evalTimeMillis());
            }
            for (JsonNode a : alertRuleTests) {
                max = Math.max(max, duration(a.path("eval_time").asText("0")));
            }
            return max;
        }
    }

    record InputSeries(String series, String values) {
    }

    record ExprTest(String expr, long evalTimeMillis, List<ExpectedSample> expSamples) {
    }

    record ExpectedSample(Labels labels, double value) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static PromtoolTestFile read(Path path) {
        JsonNode root;
        // SnakeYAML resolves .inf and .nan as Go's yaml does (Jackson's YAML parser rejects them)
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(path)) {
            root = JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        List<String> ruleFiles = strings(root.path("rule_files"));
        long evalInterval = root.hasNonNull("evaluation_interval")
                ? duration(root.get("evaluation_interval").asText()) : 60_000;
        List<TestGroup> groups = new ArrayList<>();
        for (JsonNode g : root.path("tests")) {
            List<InputSeries> input = new ArrayList<>();
            for (JsonNode s : g.path("input_series")) {
                input.add(new InputSeries(s.path("series").asText(), s.path("values").asText()));
            }
            List<ExprTest> exprTests = new ArrayList<>();
            for (JsonNode t : g.path("promql_expr_test")) {
                List<ExpectedSample> expected = new ArrayList<>();
                for (JsonNode s : t.path("exp_samples")) {
                    expected.add(new ExpectedSample(MetricNotation.parse(s.path("labels").asText("")),
                            yamlFloat(s.path("value"))));
                }
                exprTests.add(new ExprTest(t.path("expr").asText(),
                        duration(t.path("eval_time").asText("0")), List.copyOf(expected)));
            }
            List<JsonNode> alertTests = new ArrayList<>();
            g.path("alert_rule_test").forEach(alertTests::add);
            groups.add(new TestGroup(g.path("name").asText(""),
                    g.hasNonNull("interval") ? duration(g.get("interval").asText()) : evalInterval, evalInterval,
                    List.copyOf(input), List.copyOf(exprTests), List.copyOf(alertTests),
                    g.path("external_labels"), g.path("external_url").asText("")));
        }
        return new PromtoolTestFile(path, ruleFiles, evalInterval, strings(root.path("group_eval_order")),
                List.copyOf(groups));
    }

    /** A Prometheus duration ({@code 5m}, {@code 1h30m}, {@code 0}). */
    static long duration(String text) {
        long millis = Durations.parseMillis(text);
        if (millis < 0) {
            throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
        }
        return millis;
    }

    /** A YAML float as Go's yaml.v2 reads one ({@code .inf}, {@code -.inf}, {@code .nan} included). */
    private static double yamlFloat(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        String s = node.asText().trim();
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
