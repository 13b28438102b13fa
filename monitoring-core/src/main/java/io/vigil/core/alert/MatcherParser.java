package io.vigil.core.alert;

import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Alertmanager's classic matcher syntax ({@code pkg/labels/parse.go}), which {@code amtool} and the
 * {@code matchers} of {@code alertmanager.yml} use, with its tolerance: values may be quoted or not, OpenMetrics
 * escapes ({@code \"}, {@code \n}, {@code \\}) apply, a lone backslash is literal, the braces are optional and
 * only one of each is trimmed.
 */
final class MatcherParser {

    /** A label name, the operator ({@code =~} before {@code =}), and the rest as the value, spaces trimmed. */
    private static final Pattern MATCHER = Pattern.compile(
            "^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(=~|=|!=|!~)\\s*((?s).*?)\\s*$");

    private MatcherParser() {
    }

    static List<Matcher> parseMatchers(String input) {
        String s = input;
        if (s.startsWith("{")) {
            s = s.substring(1);
        }
        if (s.endsWith("}")) {
            s = s.substring(0, s.length() - 1);
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean insideQuotes = false;
        boolean escaped = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == ',') {
                if (!insideQuotes) {
                    tokens.add(token.toString());
                    token.setLength(0);
                    continue;
                }
                // A quoted comma is part of the value and leaves the escape state alone, as in Alertmanager.
            } else if (cp == '"') {
                if (!escaped) {
                    insideQuotes = !insideQuotes;
                } else {
                    escaped = false;
                }
            } else if (cp == '\\') {
                escaped = !escaped;
            } else {
                escaped = false;
            }
            token.appendCodePoint(cp);
        }
        String last = token.toString().strip();
        if (!last.isEmpty()) {
            tokens.add(last);
        }
        List<Matcher> matchers = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            matchers.add(parseMatcher(t));
        }
        return Collections.unmodifiableList(matchers);
    }

    static Matcher parseMatcher(String input) {
        com.google.re2j.Matcher parts = MATCHER.matcher(input);
        if (!parts.find()) {
            throw new IllegalArgumentException("bad matcher format: " + input);
        }
        String name = parts.group(1);
        String operator = parts.group(2);
        String original = parts.group(3);
        String raw = original;
        boolean expectTrailingQuote = false;
        if (raw.startsWith("\"")) {
            raw = raw.substring(1);
            expectTrailingQuote = true;
        }
        StringBuilder value = new StringBuilder(raw.length());
        boolean escaped = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            int at = i;
            i += Character.charCount(cp);
            if (escaped) {
                escaped = false;
                switch (cp) {
                    case 'n' -> value.append('\n');
                    case '"', '\\' -> value.appendCodePoint(cp);
                    default -> value.append('\\').appendCodePoint(cp); // a spurious escape is a literal backslash
                }
                continue;
            }
            switch (cp) {
                case '\\' -> {
                    if (at < raw.length() - 1) {
                        escaped = true;
                    } else {
                        value.append('\\');
                    }
                }
                case '"' -> {
                    if (!expectTrailingQuote || at < raw.length() - 1) {
                        throw new IllegalArgumentException("matcher value contains unescaped double quote: " + original);
                    }
                    expectTrailingQuote = false;
                }
                default -> value.appendCodePoint(cp);
            }
        }
        if (expectTrailingQuote) {
            throw new IllegalArgumentException("matcher value contains unescaped double quote: " + original);
        }
        return Matcher.of(type(operator), name, value.toString());
    }

    private static Matcher.Type type(String operator) {
        return switch (operator) {
            case "=" -> Matcher.Type.EQUAL;
            case "!=" -> Matcher.Type.NOT_EQUAL;
            case "=~" -> Matcher.Type.REGEX;
            default -> Matcher.Type.NOT_REGEX;
        };
    }
}
