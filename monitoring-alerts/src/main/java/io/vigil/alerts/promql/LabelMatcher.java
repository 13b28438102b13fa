package io.vigil.alerts.promql;

import io.vigil.core.alert.Matcher;

/**
 * A label matcher of a selector: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions are RE2 and
 * fully anchored, as in Prometheus, so a pattern means the same in both engines and runs in linear time.
 * A missing label matches as the empty string. As in Prometheus 2.x (the promtool this project tests against),
 * {@code .} does not match a newline. The matching itself is core's alert {@link Matcher} (the same anchored RE2
 * and the same bound on nested repetitions, which Prometheus' Go regexp enforces too); this type is PromQL's view
 * of it.
 */
public final class LabelMatcher {

    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String operator;

        Type(String operator) {
            this.operator = operator;
        }

        public String operator() {
            return operator;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Matcher matcher;

    private LabelMatcher(Type type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.matcher = Matcher.of(Matcher.Type.valueOf(type.name()), name, value);
    }

    /** @throws IllegalArgumentException for a regex RE2 rejects (cause: re2j's PatternSyntaxException) */
    public static LabelMatcher of(Type type, String name, String value) {
        return new LabelMatcher(type, name, value);
    }

    public static LabelMatcher equal(String name, String value) {
        return new LabelMatcher(Type.EQUAL, name, value);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    public boolean matches(String labelValue) {
        return matcher.matches(labelValue);
    }

    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    @Override
    public String toString() {
        return name + type.operator + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
