package io.vigil.core.alert;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A label matcher with Alertmanager's syntax and semantics: {@code name="value"}, {@code !=}, {@code =~} and
 * {@code !~}; regular expressions are RE2 (re2j, as Go's {@code regexp}), anchored at both ends
 * ({@code ^(?:value)$}) and without {@code (?s)}, so {@code .} does not match a newline. A missing label matches
 * as the empty string. {@link #parse} and {@link #parseList} accept exactly what Alertmanager's
 * {@code pkg/labels} parser (used by {@code amtool} and {@code alertmanager.yml} {@code matchers}) accepts,
 * with the same error messages. Immutable.
 */
public final class Matcher {

    /** The operator. */
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

    /** Alertmanager's {@code labels.Matchers} order: name, then value, then type. */
    static final Comparator<Matcher> ORDER = Comparator.<Matcher, String>comparing(m -> m.name, LabelSets.CODE_POINT_ORDER)
            .thenComparing(m -> m.value, LabelSets.CODE_POINT_ORDER)
            .thenComparing(m -> m.type);

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;

    private Matcher(Type type, String name, String value) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        if (type == Type.REGEX || type == Type.NOT_REGEX) {
            // Before re2j compiles anything: it would build the whole program of a nested repetition.
            RegexSize.check(value);
            try {
                this.pattern = Pattern.compile("^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        } else {
            this.pattern = null;
        }
    }

    /**
     * A matcher built from its parts, as Alertmanager's {@code NewMatcher}.
     *
     * @throws IllegalArgumentException for a regular expression RE2 rejects (Go's message, e.g.
     *                                  {@code error parsing regexp: missing closing ]: `[regexp)$`}), also one whose
     *                                  nested repetition counts multiply past 1000, as Go's RE2 refuses
     *                                  ({@code invalid repeat count})
     */
    public static Matcher of(Type type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(Type.EQUAL, name, value);
    }

    public static Matcher regex(String name, String value) {
        return new Matcher(Type.REGEX, name, value);
    }

    /**
     * One matcher, e.g. {@code severity=~"crit.*"} or {@code service=orders-db}.
     *
     * @throws IllegalArgumentException with Alertmanager's message ({@code bad matcher format: ...},
     *                                  {@code matcher value contains unescaped double quote: ...}, a regex error)
     */
    public static Matcher parse(String input) {
        return MatcherParser.parseMatcher(input);
    }

    /**
     * A comma-separated list, optionally in braces: {@code {service="checkout", severity=~"crit|page"}}; commas
     * inside double quotes belong to the value; a trailing comma is allowed; {@code {}} is the empty list.
     *
     * @throws IllegalArgumentException with Alertmanager's message for the first bad matcher
     */
    public static List<Matcher> parseList(String input) {
        return MatcherParser.parseMatchers(input);
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

    /** Whether {@code labelValue} (the empty string for a missing label) satisfies this matcher. */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> pattern.matcher(labelValue).find();
            case NOT_REGEX -> !pattern.matcher(labelValue).find();
        };
    }

    /** Whether the label set satisfies this matcher. */
    public boolean matches(Map<String, String> labels) {
        return matches(labels.getOrDefault(name, ""));
    }

    /** Whether every matcher in {@code matchers} is satisfied (true for none). */
    static boolean allMatch(List<Matcher> matchers, Map<String, String> labels) {
        for (Matcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Alertmanager's rendering {@code {a="b",c=~"d"}} (used in route keys). */
    static String format(List<Matcher> matchers) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < matchers.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(matchers.get(i));
        }
        return out.append('}').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Matcher that && type == that.type && name.equals(that.name) && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    /** Alertmanager's rendering: {@code name="value"} with {@code \}, newline and {@code "} escaped. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 4).append(name).append(type.operator).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
