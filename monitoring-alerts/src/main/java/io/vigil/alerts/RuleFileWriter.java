package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders rule groups as Prometheus rule-file YAML, and as a Prometheus Operator {@code PrometheusRule}. */
final class RuleFileWriter {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private RuleFileWriter() {
    }

    static String ruleFile(List<RuleFiles.Group> groups) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("groups", groups(groups));
        return write(file);
    }

    static String prometheusRule(List<RuleFiles.Group> groups, String name, String namespace,
            Map<String, String> labels) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", "monitoring.coreos.com/v1");
        resource.put("kind", "PrometheusRule");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        if (!labels.isEmpty()) {
            metadata.put("labels", new java.util.TreeMap<>(labels));
        }
        resource.put("metadata", metadata);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("groups", groups(groups));
        resource.put("spec", spec);
        return write(resource);
    }

    private static List<Object> groups(List<RuleFiles.Group> groups) {
        List<Object> out = new ArrayList<>();
        for (RuleFiles.Group group : groups) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", group.name());
            if (group.interval() != null) {
                g.put("interval", Durations.format(group.interval()));
            }
            List<Object> rules = new ArrayList<>();
            for (AlertRule rule : group.rules()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put(rule.isAlerting() ? "alert" : "record", rule.name());
                r.put("expr", rule.expr());
                if (!rule.forDuration().isZero()) {
                    r.put("for", Durations.format(rule.forDuration()));
                }
                if (!rule.keepFiringFor().isZero()) {
                    r.put("keep_firing_for", Durations.format(rule.keepFiringFor()));
                }
                if (!rule.labels().isEmpty()) {
                    r.put("labels", rule.labels());
                }
                if (!rule.annotations().isEmpty()) {
                    r.put("annotations", rule.annotations());
                }
                rules.add(r);
            }
            g.put("rules", rules);
            out.add(g);
        }
        return out;
    }

    private static String write(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
