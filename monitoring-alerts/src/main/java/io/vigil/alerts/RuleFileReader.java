package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Prometheus rule file (the {@code rulefmt} format) with the position of every node, so that any error
 * names file, line and column, group and rule. Rejects what Prometheus rejects (unknown fields, repeated group
 * names, bad durations) and what Vigil cannot evaluate (PromQL outside the subset, template functions outside
 * the supported set), plus exact duplicate rules in a group.
 */
final class RuleFileReader {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Set<String> FILE_KEYS = Set.of("groups");
    private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "rules");
    private static final Set<String> RULE_KEYS = Set.of("record", "alert", "expr", "for", "keep_firing_for",
            "labels", "annotations");

    /** A YAML node and where it starts. */
    private record Node(Object value, int line, int column) {
        String where(String file) {
            return file + ":" + line + ":" + column;
        }

        @SuppressWarnings("unchecked")
        Map<String, Node> map() {
            return value instanceof Map ? (Map<String, Node>) value : null;
        }

        @SuppressWarnings("unchecked")
        List<Node> list() {
            return value instanceof List ? (List<Node>) value : null;
        }

        String text() {
            return value instanceof String s ? s : null;
        }
    }

    private RuleFileReader() {
    }

    /** @throws IllegalArgumentException naming file, position, group and rule */
    static List<RuleFiles.Group> read(String file, String yaml) {
        Node root;
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return List.of();
            }
            root = node(parser, file);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": YAML syntax error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Map<String, Node> top = root.map();
        if (top == null) {
            if (root.value() == null) {
                return List.of();
            }
            throw new IllegalArgumentException(root.where(file) + ": a rule file is a mapping with 'groups'");
        }
        unknownKeys(file, top, FILE_KEYS, "rule file");
        Node groupsNode = top.get("groups");
        if (groupsNode == null || groupsNode.value() == null) {
            return List.of();
        }
        if (groupsNode.list() == null) {
            throw new IllegalArgumentException(groupsNode.where(file) + ": 'groups' must be a list");
        }
        List<RuleFiles.Group> groups = new ArrayList<>();
        Set<String> groupNames = new HashSet<>();
        for (Node groupNode : groupsNode.list()) {
            Map<String, Node> g = groupNode.map();
            if (g == null) {
                throw new IllegalArgumentException(groupNode.where(file) + ": a group must be a mapping");
            }
            String groupName = g.containsKey("name") ? g.get("name").text() : null;
            String groupContext = "group \"" + groupName + "\"";
            unknownKeys(file, g, GROUP_KEYS, groupContext);
            if (groupName == null || groupName.isEmpty()) {
                throw new IllegalArgumentException(groupNode.where(file) + ": group name must not be empty");
            }
            if (!groupNames.add(groupName)) {
                throw new IllegalArgumentException(groupNode.where(file) + ": " + groupContext
                        + ": groupname \"" + groupName + "\" is repeated in the same file");
            }
            Duration interval = null;
            if (g.containsKey("interval")) {
                interval = duration(file, g.get("interval"), groupContext, "interval");
                if (interval.isZero()) {
                    throw new IllegalArgumentException(g.get("interval").where(file) + ": " + groupContext
                            + ": interval must be positive");
                }
            }
            List<AlertRule> rules = new ArrayList<>();
            Node rulesNode = g.get("rules");
            if (rulesNode != null && rulesNode.value() != null) {
                if (rulesNode.list() == null) {
                    throw new IllegalArgumentException(rulesNode.where(file) + ": " + groupContext
                            + ": 'rules' must be a list");
                }
                int index = 0;
                for (Node ruleNode : rulesNode.list()) {
                    rules.add(rule(file, ruleNode, groupContext, index++));
                }
            }
            try {
                groups.add(new RuleFiles.Group(groupName, interval, rules));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(groupNode.where(file) + ": " + e.getMessage(), e);
            }
        }
        return groups;
    }

    private static AlertRule rule(String file, Node ruleNode, String groupContext, int index) {
        Map<String, Node> r = ruleNode.map();
        if (r == null) {
            throw new IllegalArgumentException(ruleNode.where(file) + ": " + groupContext + ": rule " + (index + 1)
                    + " must be a mapping");
        }
        String alert = r.containsKey("alert") ? r.get("alert").text() : null;
        String record = r.containsKey("record") ? r.get("record").text() : null;
        String context = groupContext + ", rule " + (index + 1)
                + (alert != null ? " (alert \"" + alert + "\")" : record != null ? " (record \"" + record + "\")" : "");
        unknownKeys(file, r, RULE_KEYS, context);
        if ((alert == null) == (record == null)) {
            throw new IllegalArgumentException(ruleNode.where(file) + ": " + context
                    + ": exactly one of 'record' and 'alert' must be set");
        }
        AlertRule.Builder builder = alert != null ? AlertRule.alert(alert) : AlertRule.record(record);
        Node expr = r.get("expr");
        if (expr == null || expr.text() == null) {
            throw new IllegalArgumentException(ruleNode.where(file) + ": " + context + ": field 'expr' must be set");
        }
        builder.expr(expr.text());
        if (r.containsKey("for")) {
            builder.forDuration(duration(file, r.get("for"), context, "for"));
        }
        if (r.containsKey("keep_firing_for")) {
            builder.keepFiringFor(duration(file, r.get("keep_firing_for"), context, "keep_firing_for"));
        }
        stringMap(file, r.get("labels"), context, "labels").forEach(builder::label);
        stringMap(file, r.get("annotations"), context, "annotations").forEach(builder::annotation);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            Node at = e.getMessage().startsWith("could not parse expression") ? expr : ruleNode;
            throw new IllegalArgumentException(at.where(file) + ": " + context + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> stringMap(String file, Node node, String context, String field) {
        Map<String, String> result = new LinkedHashMap<>();
        if (node == null || node.value() == null) {
            return result;
        }
        if (node.map() == null) {
            throw new IllegalArgumentException(node.where(file) + ": " + context + ": '" + field + "' must be a mapping");
        }
        for (Map.Entry<String, Node> e : node.map().entrySet()) {
            String value = e.getValue().text();
            if (value == null) {
                throw new IllegalArgumentException(e.getValue().where(file) + ": " + context + ": " + field + " \""
                        + e.getKey() + "\" must be a string");
            }
            result.put(e.getKey(), value);
        }
        return result;
    }

    private static Duration duration(String file, Node node, String context, String field) {
        try {
            if (node.text() == null) {
                throw new IllegalArgumentException("not a valid duration string");
            }
            return Durations.parse(node.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.where(file) + ": " + context + ": '" + field + "': "
                    + e.getMessage());
        }
    }

    private static void unknownKeys(String file, Map<String, Node> map, Set<String> allowed, String context) {
        for (Map.Entry<String, Node> e : map.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(e.getValue().where(file) + ": " + context + ": field '"
                        + e.getKey() + "' not supported (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    /** The node at the parser's current token, with its position; scalars keep their text. */
    private static Node node(JsonParser parser, String file) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonLocation keyAt = parser.currentTokenLocation();
                parser.nextToken();
                Node value = node(parser, file);
                if (map.put(key, value) != null) {
                    throw new IllegalArgumentException(file + ":" + keyAt.getLineNr() + ":" + keyAt.getColumnNr()
                            + ": YAML syntax error: mapping key \"" + key + "\" already defined");
                }
            }
            return new Node(map, line, column);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(node(parser, file));
            }
            return new Node(list, line, column);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new Node(null, line, column);
        }
        return new Node(parser.getText(), line, column);
    }
}
