package io.vigil.alerts;

import io.vigil.alerts.promql.Expression;
import io.vigil.alerts.promql.PromQLException;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One rule of a Prometheus rule file: an alerting rule ({@code alert}, {@code expr}, {@code for},
 * {@code keep_firing_for}, {@code labels}, {@code annotations}) or a recording rule ({@code record},
 * {@code expr}, {@code labels}). Built in Java it renders to the very YAML Prometheus loads
 * ({@link RuleFiles}); loaded from YAML it is the same object. Immutable; validated when built, so a bad
 * expression, template or duration fails at configuration time, never during evaluation.
 *
 * <pre>{@code
 * AlertRule rule = AlertRule.alert("CheckoutSlow")
 *         .expr("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\"/checkout\"}[5m]))) > 0.5")
 *         .forDuration(Duration.ofMinutes(10))
 *         .label("severity", "warning")
 *         .annotation("summary", "p99 of /checkout is {{ humanizeDuration $value }}")
 *         .build();
 * }</pre>
 */
public final class AlertRule {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final boolean alerting;
    private final String name;
    private final String expr;
    private final Expression expression;
    private final Duration forDuration;
    private final Duration keepFiringFor;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    private final Map<String, Template> labelTemplates;
    private final Map<String, Template> annotationTemplates;

    private AlertRule(Builder b) {
        this.alerting = b.alerting;
        this.name = b.name;
        this.expr = b.expr;
        this.forDuration = b.forDuration;
        this.keepFiringFor = b.keepFiringFor;
        this.labels = Collections.unmodifiableMap(new TreeMap<>(b.labels));
        this.annotations = Collections.unmodifiableMap(new TreeMap<>(b.annotations));
        if (expr == null || expr.isBlank()) {
            throw new IllegalArgumentException("field 'expr' must be set in rule");
        }
        try {
            this.expression = Expression.parse(expr);
        } catch (PromQLException e) {
            throw new IllegalArgumentException("could not parse expression: " + e.getMessage(), e);
        }
        if (alerting) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("field 'alert' must be set in rule");
            }
        } else {
            if (name == null || !METRIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid recording rule name: \"" + name + "\"");
            }
            if (!forDuration.isZero() || !keepFiringFor.isZero()) {
                throw new IllegalArgumentException("invalid field 'for' or 'keep_firing_for' in recording rule");
            }
            if (!annotations.isEmpty()) {
                throw new IllegalArgumentException("invalid field 'annotations' in recording rule");
            }
        }
        if (forDuration.isNegative() || keepFiringFor.isNegative()) {
            throw new IllegalArgumentException("'for' and 'keep_firing_for' must not be negative");
        }
        this.labelTemplates = templates("label", labels, true);
        this.annotationTemplates = templates("annotation", annotations, false);
    }

    private Map<String, Template> templates(String what, Map<String, String> texts, boolean labelNames) {
        Map<String, Template> compiled = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (labelNames && (!LABEL_NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("__"))) {
                throw new IllegalArgumentException("invalid label name: \"" + e.getKey() + "\"");
            }
            if (!alerting) {
                compiled.put(e.getKey(), null);
                continue;
            }
            try {
                compiled.put(e.getKey(), Template.parse(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(what + " \"" + e.getKey() + "\": " + ex.getMessage(), ex);
            }
        }
        return Collections.unmodifiableMap(compiled);
    }

    /** An alerting rule named {@code name} (the {@code alertname} label of its alerts). */
    public static Builder alert(String name) {
        return new Builder(true, name);
    }

    /** A recording rule writing the series {@code name} (by convention {@code level:metric:operations}). */
    public static Builder record(String name) {
        return new Builder(false, name);
    }

    public boolean isAlerting() {
        return alerting;
    }

    /** The alert name or the recorded metric name. */
    public String name() {
        return name;
    }

    public String expr() {
        return expr;
    }

    /** How long the condition must hold before the alert fires ({@code for}); zero: at once. */
    public Duration forDuration() {
        return forDuration;
    }

    /** How long a firing alert keeps firing after its condition cleared ({@code keep_firing_for}). */
    public Duration keepFiringFor() {
        return keepFiringFor;
    }

    /** Labels as written (templates unexpanded), sorted by name. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Annotations as written (templates unexpanded), sorted by name. */
    public Map<String, String> annotations() {
        return annotations;
    }

    Expression expression() {
        return expression;
    }

    Map<String, Template> labelTemplates() {
        return labelTemplates;
    }

    Map<String, Template> annotationTemplates() {
        return annotationTemplates;
    }

    /** A builder starting from this rule, to change a threshold or a label. */
    public Builder toBuilder() {
        Builder b = new Builder(alerting, name).expr(expr).forDuration(forDuration).keepFiringFor(keepFiringFor);
        b.labels.putAll(labels);
        b.annotations.putAll(annotations);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertRule r && alerting == r.alerting && name.equals(r.name) && expr.equals(r.expr)
                && forDuration.equals(r.forDuration) && keepFiringFor.equals(r.keepFiringFor)
                && labels.equals(r.labels) && annotations.equals(r.annotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alerting, name, expr, forDuration, keepFiringFor, labels, annotations);
    }

    @Override
    public String toString() {
        return (alerting ? "alert " : "record ") + name + ": " + expr;
    }

    /** Builds an {@link AlertRule}; {@link #build()} validates everything. */
    public static final class Builder {
        private final boolean alerting;
        private final String name;
        private String expr;
        private Duration forDuration = Duration.ZERO;
        private Duration keepFiringFor = Duration.ZERO;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();

        private Builder(boolean alerting, String name) {
            this.alerting = alerting;
            this.name = name;
        }

        /** The PromQL expression (Vigil's subset: anything else fails in {@link #build()}, naming it). */
        public Builder expr(String expr) {
            this.expr = expr;
            return this;
        }

        public Builder forDuration(Duration duration) {
            this.forDuration = Objects.requireNonNull(duration, "for");
            return this;
        }

        public Builder keepFiringFor(Duration duration) {
            this.keepFiringFor = Objects.requireNonNull(duration, "keep_firing_for");
            return this;
        }

        /** A label added to every alert or recorded series; alert label values may use templates. */
        public Builder label(String name, String value) {
            labels.put(Objects.requireNonNull(name, "label name"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        /** An annotation ({@code summary}, {@code description}, {@code runbook_url}, …), a template. */
        public Builder annotation(String name, String value) {
            annotations.put(Objects.requireNonNull(name, "annotation name"),
                    Objects.requireNonNull(value, "annotation value"));
            return this;
        }

        /** @throws IllegalArgumentException naming what is wrong */
        public AlertRule build() {
            return new AlertRule(this);
        }
    }
}
