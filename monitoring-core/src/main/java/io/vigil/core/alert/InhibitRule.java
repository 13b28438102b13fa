package io.vigil.core.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Alertmanager's {@code inhibit_rules} entry: while an alert matching {@code source_matchers} fires, alerts
 * matching {@code target_matchers} whose {@code equal} labels have the same values (a missing label counts as the
 * empty value) are muted. An alert matching both sides is never muted by an alert that also matches both sides,
 * so an alert does not inhibit itself. Immutable.
 *
 * <pre>{@code
 * InhibitRule.builder().sourceMatchers("severity=\"critical\"").targetMatchers("severity=\"warning\"")
 *         .equal("alertname", "service").build();
 * }</pre>
 */
public final class InhibitRule {

    private final List<Matcher> sourceMatchers;
    private final List<Matcher> targetMatchers;
    private final List<String> equal;

    private InhibitRule(Builder b) {
        this.sourceMatchers = List.copyOf(b.sourceMatchers);
        this.targetMatchers = List.copyOf(b.targetMatchers);
        this.equal = List.copyOf(b.equal);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Matcher> sourceMatchers() {
        return sourceMatchers;
    }

    public List<Matcher> targetMatchers() {
        return targetMatchers;
    }

    public List<String> equal() {
        return equal;
    }

    boolean isSource(Map<String, String> labels) {
        return Matcher.allMatch(sourceMatchers, labels);
    }

    boolean isTarget(Map<String, String> labels) {
        return Matcher.allMatch(targetMatchers, labels);
    }

    /** Whether firing {@code source} (already known to match the source side) mutes {@code target}. */
    boolean inhibits(Map<String, String> source, Map<String, String> target, boolean targetIsAlsoSource) {
        for (String name : equal) {
            if (!Objects.equals(source.getOrDefault(name, ""), target.getOrDefault(name, ""))) {
                return false;
            }
        }
        return !(targetIsAlsoSource && isTarget(source));
    }

    public static final class Builder {
        private final List<Matcher> sourceMatchers = new ArrayList<>();
        private final List<Matcher> targetMatchers = new ArrayList<>();
        private final List<String> equal = new ArrayList<>();

        private Builder() {
        }

        /** Alertmanager syntax, each string one or more matchers. */
        public Builder sourceMatchers(String... expressions) {
            for (String expression : expressions) {
                sourceMatchers.addAll(Matcher.parseList(expression));
            }
            return this;
        }

        public Builder sourceMatcher(Matcher... matchers) {
            Collections.addAll(sourceMatchers, matchers);
            return this;
        }

        public Builder targetMatchers(String... expressions) {
            for (String expression : expressions) {
                targetMatchers.addAll(Matcher.parseList(expression));
            }
            return this;
        }

        public Builder targetMatcher(Matcher... matchers) {
            Collections.addAll(targetMatchers, matchers);
            return this;
        }

        public Builder equal(String... labelNames) {
            for (String name : labelNames) {
                if (!LabelSets.isValidName(name)) {
                    throw new IllegalArgumentException("invalid label name \"" + name + "\" in equal list");
                }
                equal.add(name);
            }
            return this;
        }

        public InhibitRule build() {
            return new InhibitRule(this);
        }
    }
}
