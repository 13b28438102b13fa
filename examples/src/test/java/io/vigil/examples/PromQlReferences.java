package io.vigil.examples;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label names a PromQL expression refers to — enough of PromQL for dashboard queries
 * (selectors with matchers, range vectors, functions, aggregations with by/without, binary operators).
 * Used to prove the Grafana dashboard queries only series the demo really emits.
 */
final class PromQlReferences {

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"[^\"]*\"");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");

    /** Metric name → label names used in its matchers (a name may have none). */
    final Map<String, Set<String>> metrics = new LinkedHashMap<>();
    /** Label names used in by/without/on/ignoring clauses. */
    final Set<String> groupingLabels = new LinkedHashSet<>();

    static PromQlReferences of(String expression) {
        PromQlReferences references = new PromQlReferences();
        String rest = expression.replaceAll("\\[[^]]*]", " ");   // range and subquery durations
        Matcher selector = SELECTOR.matcher(rest);
        StringBuilder withoutSelectors = new StringBuilder();
        while (selector.find()) {
            String name = selector.group(1);
            if (name == null) {
                throw new IllegalArgumentException("Selector without a metric name in: " + expression);
            }
            Set<String> labels = references.metrics.computeIfAbsent(name, n -> new LinkedHashSet<>());
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                labels.add(matcher.group(1));
            }
            selector.appendReplacement(withoutSelectors, " ");
        }
        selector.appendTail(withoutSelectors);
        rest = withoutSelectors.toString();
        Matcher grouping = GROUPING.matcher(rest);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    references.groupingLabels.add(label.trim());
                }
            }
        }
        rest = GROUPING.matcher(rest).replaceAll(" ").replaceAll("\"[^\"]*\"", " ");
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String word = identifier.group();
            boolean isCall = rest.substring(identifier.end()).stripLeading().startsWith("(");
            boolean isNumber = identifier.start() > 0 && Character.isDigit(rest.charAt(identifier.start() - 1));
            if (!isCall && !isNumber && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                references.metrics.computeIfAbsent(word, n -> new LinkedHashSet<>());
            }
        }
        return references;
    }
}
