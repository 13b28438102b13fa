package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Go-template subset Prometheus alert labels and annotations use: text with actions
 * {@code {{ $value }}}, {@code {{ $labels.x }}}, {@code {{ .Value }}}, {@code {{ .Labels.x }}},
 * {@code {{ $externalLabels.x }}}, the functions {@code humanize}, {@code humanizePercentage},
 * {@code humanizeDuration} and {@code printf}, pipes ({@code {{ $value | humanize }}}), string and number
 * literals, comments and the {@code {{-}} / {@code -}}} trim markers. Anything else (other functions,
 * {@code if}/{@code range}, variable declarations) is rejected when the rule is loaded, naming it.
 * Immutable; {@link #expand} never throws (an error renders as Prometheus renders it,
 * {@code <error expanding template: …>}).
 */
final class Template {

    static final Set<String> FUNCTIONS = Set.of("humanize", "humanizePercentage", "humanizeDuration", "printf");
    private static final Set<String> KEYWORDS = Set.of("if", "else", "end", "range", "with", "define", "template",
            "block", "break", "continue", "nil", "true", "false");

    /** A piece of template: literal text or an action. */
    private sealed interface Node permits Text, Action {
    }

    private record Text(String text) implements Node {
    }

    private record Action(List<List<Operand>> commands) implements Node {
    }

    /** A word of a command: a function name, a literal, or a variable/field path. */
    private sealed interface Operand permits Function, Literal, Path {
    }

    private record Function(String name) implements Operand {
    }

    private record Literal(Object value) implements Operand {
    }

    /** {@code $value}, {@code $labels.x}, {@code .Labels.x}: root (value, labels, externalLabels, externalURL, data). */
    private record Path(String root, String key) implements Operand {
    }

    private final String source;
    private final List<Node> nodes;

    private Template(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /** @throws IllegalArgumentException naming the unsupported construct and its offset */
    static Template parse(String source) {
        List<Node> nodes = new ArrayList<>();
        int pos = 0;
        StringBuilder text = new StringBuilder();
        while (pos < source.length()) {
            int open = source.indexOf("{{", pos);
            if (open < 0) {
                text.append(source, pos, source.length());
                break;
            }
            text.append(source, pos, open);
            int start = open + 2;
            if (source.startsWith("- ", start) || source.startsWith("-\t", start) || source.startsWith("-\n", start)) {
                trimRight(text);
                start += 1;
            }
            int close = findClose(source, start);
            if (close < 0) {
                throw new IllegalArgumentException("template: unclosed action at offset " + open);
            }
            int end = close;
            boolean trimAfter = false;
            if (end - 1 >= start && source.charAt(end - 1) == '-'
                    && end - 2 >= start && Character.isWhitespace(source.charAt(end - 2))) {
                trimAfter = true;
                end -= 1;
            }
            String body = source.substring(start, end).trim();
            if (!text.isEmpty()) {
                nodes.add(new Text(text.toString()));
                text.setLength(0);
            }
            if (!(body.startsWith("/*") && body.endsWith("*/"))) {
                nodes.add(new Action(parseAction(body, start)));
            }
            pos = close + 2;
            if (trimAfter) {
                while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
                    pos++;
                }
            }
        }
        if (!text.isEmpty()) {
            nodes.add(new Text(text.toString()));
        }
        return new Template(source, List.copyOf(nodes));
    }

    private static int findClose(String source, int from) {
        boolean quoted = false;
        char quote = 0;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (quoted) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quoted = false;
                }
            } else if (c == '"' || c == '`') {
                quoted = true;
                quote = c;
            } else if (c == '}' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    private static void trimRight(StringBuilder text) {
        int n = text.length();
        while (n > 0 && Character.isWhitespace(text.charAt(n - 1))) {
            n--;
        }
        text.setLength(n);
    }

    private static List<List<Operand>> parseAction(String body, int offset) {
        if (body.isEmpty()) {
            throw new IllegalArgumentException("template: missing value for command at offset " + offset);
        }
        if (body.matches("(?s)\\$\\w*\\s*:?=.*")) {
            throw new IllegalArgumentException("template: variable declarations are not supported at offset " + offset);
        }
        List<List<Operand>> commands = new ArrayList<>();
        List<Operand> command = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '|') {
                if (command.isEmpty()) {
                    throw new IllegalArgumentException("template: missing command before '|' at offset " + (offset + i));
                }
                commands.add(List.copyOf(command));
                command.clear();
                i++;
            } else if (c == '"') {
                StringBuilder s = new StringBuilder();
                i++;
                while (i < body.length() && body.charAt(i) != '"') {
                    char ch = body.charAt(i);
                    if (ch == '\\' && i + 1 < body.length()) {
                        char next = body.charAt(++i);
                        s.append(switch (next) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> next;
                        });
                    } else {
                        s.append(ch);
                    }
                    i++;
                }
                i++;
                command.add(new Literal(s.toString()));
            } else if (c == '`') {
                int endQuote = body.indexOf('`', i + 1);
                command.add(new Literal(body.substring(i + 1, endQuote)));
                i = endQuote + 1;
            } else if (c == ':' && i + 1 < body.length() && body.charAt(i + 1) == '=' || c == '=') {
                throw new IllegalArgumentException("template: variable declarations are not supported at offset "
                        + (offset + i));
            } else {
                int start = i;
                while (i < body.length() && !Character.isWhitespace(body.charAt(i)) && body.charAt(i) != '|') {
                    i++;
                }
                command.add(word(body.substring(start, i), offset + start));
            }
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("template: missing command after '|' at offset " + offset);
        }
        commands.add(List.copyOf(command));
        for (List<Operand> cmd : commands) {
            boolean function = cmd.get(0) instanceof Function;
            if (!function && (cmd.size() > 1 || commands.indexOf(cmd) > 0)) {
                throw new IllegalArgumentException("template: can't give argument to non-function "
                        + describe(cmd.get(0)) + " at offset " + offset);
            }
            for (int k = 1; k < cmd.size(); k++) {
                if (cmd.get(k) instanceof Function f) {
                    throw new IllegalArgumentException("template: function \"" + f.name()
                            + "\" used as an argument (parenthesized calls are not supported) at offset " + offset);
                }
            }
        }
        return List.copyOf(commands);
    }

    private static String describe(Operand operand) {
        if (operand instanceof Literal l) {
            return String.valueOf(l.value());
        }
        if (operand instanceof Path p) {
            return "$" + p.root() + (p.key() == null ? "" : "." + p.key());
        }
        return ((Function) operand).name();
    }

    private static Operand word(String word, int offset) {
        if (word.startsWith("$")) {
            if (word.contains(":=") || word.contains("=")) {
                throw new IllegalArgumentException("template: variable declarations are not supported: '" + word
                        + "' at offset " + offset);
            }
            String[] parts = word.substring(1).split("\\.", -1);
            String root = switch (parts[0]) {
                case "value" -> "value";
                case "labels" -> "labels";
                case "externalLabels" -> "externalLabels";
                case "externalURL" -> "externalURL";
                case "" -> "data";
                default -> throw new IllegalArgumentException("template: undefined variable \"$" + parts[0]
                        + "\" at offset " + offset);
            };
            return path(root, parts, 1, word, offset);
        }
        if (word.startsWith(".")) {
            if (word.equals(".")) {
                return new Path("data", null);
            }
            String[] parts = word.substring(1).split("\\.", -1);
            String root = switch (parts[0]) {
                case "Value" -> "value";
                case "Labels" -> "labels";
                case "ExternalLabels" -> "externalLabels";
                case "ExternalURL" -> "externalURL";
                default -> throw new IllegalArgumentException("template: can't evaluate field " + parts[0]
                        + " at offset " + offset);
            };
            return path(root, parts, 1, word, offset);
        }
        if (word.startsWith("(")) {
            throw new IllegalArgumentException("template: parenthesized pipelines are not supported at offset " + offset);
        }
        char first = word.charAt(0);
        if (Character.isDigit(first) || first == '-' || first == '+') {
            try {
                return new Literal(Double.parseDouble(word));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("template: bad number syntax: \"" + word + "\" at offset " + offset);
            }
        }
        if (KEYWORDS.contains(word)) {
            throw new IllegalArgumentException("template: unsupported action \"" + word + "\" at offset " + offset
                    + " (supported: values, labels, " + FUNCTIONS + ")");
        }
        if (!FUNCTIONS.contains(word)) {
            throw new IllegalArgumentException("template: function \"" + word + "\" not supported at offset " + offset
                    + " (supported: " + String.join(", ", new java.util.TreeSet<>(FUNCTIONS)) + ")");
        }
        return new Function(word);
    }

    private static Path path(String root, String[] parts, int from, String word, int offset) {
        if (parts.length == from) {
            return new Path(root, null);
        }
        if (parts.length == from + 1 && (root.equals("labels") || root.equals("externalLabels"))
                && !parts[from].isEmpty()) {
            return new Path(root, parts[from]);
        }
        throw new IllegalArgumentException("template: can't evaluate '" + word + "' at offset " + offset);
    }

    /** Renders for one alert: its series labels (metric name included) and value. */
    String expand(Labels labels, double value, Map<String, String> externalLabels) {
        if (nodes.size() == 1 && nodes.get(0) instanceof Text t) {
            return t.text();
        }
        StringBuilder out = new StringBuilder();
        try {
            for (Node node : nodes) {
                if (node instanceof Text t) {
                    out.append(t.text());
                } else {
                    Object result = null;
                    boolean piped = false;
                    for (List<Operand> command : ((Action) node).commands()) {
                        result = run(command, piped ? result : null, piped, labels, value, externalLabels);
                        piped = true;
                    }
                    out.append(GoFormat.print(result));
                }
            }
        } catch (IllegalArgumentException e) {
            return "<error expanding template: " + e.getMessage() + ">";
        }
        return out.toString();
    }

    /** Whether the text has any action (a rule label without one needs no expansion). */
    boolean isConstant() {
        return nodes.isEmpty() || nodes.size() == 1 && nodes.get(0) instanceof Text;
    }

    private static Object run(List<Operand> command, Object piped, boolean hasPiped, Labels labels, double value,
            Map<String, String> externalLabels) {
        Operand first = command.get(0);
        if (!(first instanceof Function function)) {
            return resolve(first, labels, value, externalLabels);
        }
        List<Object> args = new ArrayList<>();
        for (int i = 1; i < command.size(); i++) {
            args.add(resolve(command.get(i), labels, value, externalLabels));
        }
        if (hasPiped) {
            args.add(piped);
        }
        if (function.name().equals("printf")) {
            if (args.isEmpty() || !(args.get(0) instanceof String format)) {
                throw new IllegalArgumentException("printf needs a format string");
            }
            return GoFormat.sprintf(format, args.subList(1, args.size()));
        }
        if (args.size() != 1) {
            throw new IllegalArgumentException("wrong number of args for " + function.name() + ": want 1 got "
                    + args.size());
        }
        double v = toFloat(args.get(0));
        return switch (function.name()) {
            case "humanize" -> Humanize.humanize(v);
            case "humanizePercentage" -> Humanize.percentage(v);
            case "humanizeDuration" -> Humanize.duration(v);
            default -> throw new IllegalStateException(function.name());
        };
    }

    private static double toFloat(Object arg) {
        if (arg instanceof Double d) {
            return d;
        }
        String s = String.valueOf(arg);
        try {
            return parseFloat(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
        }
    }

    /** Go's {@code strconv.ParseFloat} for what templates meet: decimals and the words for infinity and NaN. */
    private static double parseFloat(String value) {
        return switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    private static Object resolve(Operand operand, Labels labels, double value, Map<String, String> externalLabels) {
        if (operand instanceof Literal literal) {
            return literal.value();
        }
        Path path = (Path) operand;
        return switch (path.root()) {
            case "value" -> value;
            case "labels" -> path.key() == null ? labels.toMap() : labels.get(path.key());
            case "externalLabels" -> path.key() == null ? externalLabels
                    : externalLabels.getOrDefault(path.key(), "");
            case "externalURL" -> "";
            default -> "{" + labels.toMap() + " " + GoFormat.value(value) + "}";
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
