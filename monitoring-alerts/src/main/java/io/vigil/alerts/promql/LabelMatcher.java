package io.vigil.alerts.promql;

import com.google.re2j.Pattern;

/**
 * A label matcher of a selector: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions are RE2 and
 * fully anchored, as in Prometheus, so a pattern means the same in both engines and runs in linear time.
 * A missing label matches as the empty string. As in Prometheus 2.x (the promtool this project tests against),
 * {@code .} does not match a newline.
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
    private final Pattern pattern;

    private LabelMatcher(Type type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.pattern = type == Type.REGEX || type == Type.NOT_REGEX ? Pattern.compile("^(?:" + value + ")$") : null;
    }

    /** @throws com.google.re2j.PatternSyntaxException for a regex RE2 rejects */
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
        return switch (type) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> pattern.matcher(labelValue).matches();
            case NOT_REGEX -> !pattern.matcher(labelValue).matches();
        };
    }

    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    @Override
    public String toString() {
        return name + type.operator + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
