package io.vigil.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule groups in Prometheus' rule-file format: loaded from files, built in Java, or Vigil's production pack,
 * and written back as {@code recording_rules.yml}, {@code alerting_rules.yml} or a Prometheus Operator
 * {@code PrometheusRule}, so a fleet's Prometheus evaluates exactly what runs in process. Immutable.
 *
 * <pre>{@code
 * RuleFiles rules = RuleFiles.packBuilder()
 *         .threshold("VigilHttpHighErrorRatio", 0.02)       // 2 % instead of 5 %
 *         .disable("VigilHttpTrafficSpike")
 *         .build()
 *         .plus(RuleFiles.load(Path.of("/etc/myservice/rules.yml")));
 * rules.writeTo(Path.of("build/prometheus"));               // recording_rules.yml, alerting_rules.yml
 * }</pre>
 */
public final class RuleFiles {

    static final String PACK_RECORDING = "/io/vigil/alerts/pack/recording_rules.yml";
    static final String PACK_ALERTING = "/io/vigil/alerts/pack/alerting_rules.yml";

    /**
     * One rule group: evaluated in order at one interval, so a recording rule's output is visible to the rules
     * after it at the same evaluation.
     *
     * @param name     unique among the groups
     * @param interval how often the group is evaluated, or null for the engine's (Prometheus': the global) interval
     * @param rules    in evaluation order
     */
    public record Group(String name, Duration interval, List<AlertRule> rules) {
        public Group {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("group name must not be empty");
            }
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException("group \"" + name + "\": interval must be positive");
            }
            rules = List.copyOf(rules);
            Set<String> seen = new HashSet<>();
            for (AlertRule rule : rules) {
                String identity = (rule.isAlerting() ? "alert " : "record ") + rule.name() + " " + rule.labels();
                if (!seen.add(identity)) {
                    throw new IllegalArgumentException("group \"" + name + "\": rule \"" + rule.name()
                            + "\" is defined twice with the same labels " + rule.labels());
                }
            }
        }
    }

    private final List<Group> groups;

    private RuleFiles(List<Group> groups) {
        Set<String> names = new HashSet<>();
        for (Group group : groups) {
            if (!names.add(group.name())) {
                throw new IllegalArgumentException("group name \"" + group.name() + "\" is used twice");
            }
        }
        this.groups = List.copyOf(groups);
    }

    public static RuleFiles of(Group... groups) {
        return new RuleFiles(Arrays.asList(groups));
    }

    public static RuleFiles of(List<Group> groups) {
        return new RuleFiles(groups);
    }

    /** A single group of rules built in Java. */
    public static RuleFiles group(String name, AlertRule... rules) {
        return of(new Group(name, null, Arrays.asList(rules)));
    }

    /**
     * Loads Prometheus rule files.
     *
     * @throws IllegalArgumentException for a bad file, naming file, line:column, group and rule
     * @throws UncheckedIOException     when a file cannot be read
     */
    public static RuleFiles load(Path... files) {
        List<Group> groups = new ArrayList<>();
        for (Path file : files) {
            try {
                groups.addAll(RuleFileReader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read rule file " + file, e);
            }
        }
        return new RuleFiles(groups);
    }

    /** Parses the text of one rule file; {@code fileName} names it in error messages. */
    public static RuleFiles parse(String fileName, String yaml) {
        return new RuleFiles(RuleFileReader.read(fileName, yaml));
    }

    /** Vigil's production rule pack with its default thresholds (see the module README for the list). */
    public static RuleFiles pack() {
        return packBuilder().build();
    }

    /** The production pack, configurable: thresholds, {@code for} windows, severities, rules on/off. */
    public static PackBuilder packBuilder() {
        return new PackBuilder();
    }

    public List<Group> groups() {
        return groups;
    }

    /** Every rule of every group, in order. */
    public List<AlertRule> rules() {
        List<AlertRule> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.rules()));
        return all;
    }

    /** These groups followed by {@code other}'s; group names must stay unique. */
    public RuleFiles plus(RuleFiles other) {
        List<Group> all = new ArrayList<>(groups);
        all.addAll(other.groups);
        return new RuleFiles(all);
    }

    /** All groups as one rule file. */
    public String toYaml() {
        return RuleFileWriter.ruleFile(groups);
    }

    /** The recording rules of every group (groups without any left out), as {@code recording_rules.yml}. */
    public String recordingRulesYaml() {
        return RuleFileWriter.ruleFile(only(false));
    }

    /** The alerting rules of every group (groups without any left out), as {@code alerting_rules.yml}. */
    public String alertingRulesYaml() {
        return RuleFileWriter.ruleFile(only(true));
    }

    /**
     * All groups as a Prometheus Operator {@code PrometheusRule} resource ({@code monitoring.coreos.com/v1}).
     *
     * @param namespace the resource's namespace, or null to leave it to {@code kubectl}
     * @param labels    metadata labels, typically what the Prometheus resource's {@code ruleSelector} matches
     */
    public String prometheusRule(String name, String namespace, Map<String, String> labels) {
        Objects.requireNonNull(name, "name");
        return RuleFileWriter.prometheusRule(groups, name, namespace, labels);
    }

    /** Writes {@code recording_rules.yml} and {@code alerting_rules.yml} into {@code directory}. */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("recording_rules.yml"), recordingRulesYaml(), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("alerting_rules.yml"), alertingRulesYaml(), StandardCharsets.UTF_8);
    }

    private List<Group> only(boolean alerting) {
        List<Group> result = new ArrayList<>();
        for (Group group : groups) {
            List<AlertRule> rules = group.rules().stream().filter(r -> r.isAlerting() == alerting).toList();
            if (!rules.isEmpty()) {
                result.add(new Group(group.name(), group.interval(), rules));
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleFiles other && groups.equals(other.groups);
    }

    @Override
    public int hashCode() {
        return groups.hashCode();
    }

    @Override
    public String toString() {
        return "RuleFiles" + groups.stream().map(Group::name).toList();
    }

    /**
     * Configures the production pack. Names are alert names ({@code VigilHttpHighErrorRatio}) or, for
     * {@link #disable}, also recording rule names. Unknown names fail in {@link #build()}.
     */
    public static final class PackBuilder {

        private static final Pattern THRESHOLD = Pattern.compile(
                "(\\s(?:>|<|>=|<=|==|!=)(?:\\s+bool)?\\s+)(-?[0-9][0-9.eE+-]*)\\s*$");

        private final Map<String, Double> thresholds = new LinkedHashMap<>();
        private final Map<String, Duration> forDurations = new LinkedHashMap<>();
        private final Map<String, Duration> keepFiringFor = new LinkedHashMap<>();
        private final Map<String, String> severities = new LinkedHashMap<>();
        private final Set<String> disabled = new LinkedHashSet<>();
        private Set<String> only;
        private String runbookBaseUrl;

        private PackBuilder() {
        }

        /** The number the alert's condition compares against (the last comparison of its expression). */
        public PackBuilder threshold(String alert, double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("threshold of " + alert + " must be finite");
            }
            thresholds.put(alert, value);
            return this;
        }

        /** How long the condition must hold before the alert fires. */
        public PackBuilder forDuration(String alert, Duration duration) {
            forDurations.put(alert, Objects.requireNonNull(duration));
            return this;
        }

        public PackBuilder keepFiringFor(String alert, Duration duration) {
            keepFiringFor.put(alert, Objects.requireNonNull(duration));
            return this;
        }

        /** The {@code severity} label ({@code critical}, {@code warning}, {@code info}). */
        public PackBuilder severity(String alert, String severity) {
            if (severity == null || severity.isBlank()) {
                throw new IllegalArgumentException("severity must not be blank");
            }
            severities.put(alert, severity);
            return this;
        }

        /** Leaves these rules out. A recording rule another kept rule reads cannot be left out. */
        public PackBuilder disable(String... rules) {
            disabled.addAll(Arrays.asList(rules));
            return this;
        }

        /** Keeps only these alerts (and the recording rules they read); the other alerts are left out. */
        public PackBuilder only(String... alerts) {
            only = new LinkedHashSet<>(Arrays.asList(alerts));
            return this;
        }

        /** Where {@code runbook_url} points: {@code base + "#" + alertname in lower case}. */
        public PackBuilder runbookBaseUrl(String base) {
            if (base == null || base.isBlank()) {
                throw new IllegalArgumentException("runbook base URL must not be blank");
            }
            runbookBaseUrl = base;
            return this;
        }

        /** @throws IllegalArgumentException for an unknown rule name or a rule without a threshold */
        public RuleFiles build() {
            RuleFiles defaults = defaults();
            Set<String> known = new HashSet<>();
            Set<String> alerts = new HashSet<>();
            for (AlertRule rule : defaults.rules()) {
                known.add(rule.name());
                if (rule.isAlerting()) {
                    alerts.add(rule.name());
                }
            }
            for (Set<String> names : List.of(thresholds.keySet(), forDurations.keySet(), keepFiringFor.keySet(),
                    severities.keySet(), only == null ? Set.<String>of() : only)) {
                for (String name : names) {
                    if (!alerts.contains(name)) {
                        throw new IllegalArgumentException("the rule pack has no alert \"" + name + "\"; alerts: "
                                + new java.util.TreeSet<>(alerts));
                    }
                }
            }
            for (String name : disabled) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("the rule pack has no rule \"" + name + "\"");
                }
            }
            List<Group> groups = new ArrayList<>();
            for (Group group : defaults.groups()) {
                List<AlertRule> rules = new ArrayList<>();
                for (AlertRule rule : group.rules()) {
                    if (disabled.contains(rule.name())
                            || only != null && rule.isAlerting() && !only.contains(rule.name())) {
                        continue;
                    }
                    rules.add(rule.isAlerting() ? configure(rule) : rule);
                }
                if (!rules.isEmpty()) {
                    groups.add(new Group(group.name(), group.interval(), rules));
                }
            }
            RuleFiles result = new RuleFiles(groups);
            checkRecordingRulesKept(result);
            return result;
        }

        private AlertRule configure(AlertRule rule) {
            AlertRule.Builder b = rule.toBuilder();
            Double threshold = thresholds.get(rule.name());
            if (threshold != null) {
                Matcher m = THRESHOLD.matcher(rule.expr());
                if (!m.find()) {
                    throw new IllegalArgumentException("alert \"" + rule.name() + "\" has no threshold to set");
                }
                b.expr(rule.expr().substring(0, m.start(2)) + GoFormat.value(threshold)
                        + rule.expr().substring(m.end(2)));
            }
            if (forDurations.containsKey(rule.name())) {
                b.forDuration(forDurations.get(rule.name()));
            }
            if (keepFiringFor.containsKey(rule.name())) {
                b.keepFiringFor(keepFiringFor.get(rule.name()));
            }
            if (severities.containsKey(rule.name())) {
                b.label("severity", severities.get(rule.name()));
            }
            if (runbookBaseUrl != null) {
                b.annotation("runbook_url", runbookBaseUrl + "#" + rule.name().toLowerCase(java.util.Locale.ROOT));
            }
            return b.build();
        }

        private static void checkRecordingRulesKept(RuleFiles result) {
            Set<String> recorded = new HashSet<>();
            result.rules().stream().filter(r -> !r.isAlerting()).forEach(r -> recorded.add(r.name()));
            for (AlertRule rule : defaults().rules()) {
                if (!rule.isAlerting() && !recorded.contains(rule.name())) {
                    for (AlertRule user : result.rules()) {
                        if (user.expr().contains(rule.name())) {
                            throw new IllegalArgumentException("recording rule \"" + rule.name()
                                    + "\" is read by \"" + user.name() + "\": it cannot be disabled");
                        }
                    }
                }
            }
        }

        private static RuleFiles defaults() {
            return parseResource(PACK_RECORDING).plus(parseResource(PACK_ALERTING));
        }

        private static RuleFiles parseResource(String resource) {
            try (InputStream in = RuleFiles.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("rule pack resource missing: " + resource);
                }
                return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
