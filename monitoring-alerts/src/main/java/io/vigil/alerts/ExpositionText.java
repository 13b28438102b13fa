package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Prometheus' text exposition format 0.0.4, the very text {@code /metrics} serves. A sample line is split
 * into its series key (the {@code name{labels}} text, which stays stable between scrapes and so keys caches) and
 * its value; labels are parsed only for a key not seen before.
 */
final class ExpositionText {

    /** Receives each sample line of a scrape. */
    interface SampleHandler {
        /** The series key is {@code text[keyStart, keyEnd)}; passed as a range so that nothing is copied. */
        void sample(String text, int keyStart, int keyEnd, double value);
    }

    private ExpositionText() {
    }

    /** Calls {@code handler} once per sample line of {@code text}; comments and blank lines are skipped. */
    static void forEachSample(String text, SampleHandler handler) {
        int length = text.length();
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = length;
            }
            if (lineEnd > lineStart && text.charAt(lineStart) != '#') {
                sampleLine(text, lineStart, lineEnd, handler);
            }
            lineStart = lineEnd + 1;
        }
    }

    private static void sampleLine(String text, int start, int end, SampleHandler handler) {
        // The key ends at the first space outside a quoted label value.
        int pos = start;
        boolean quoted = false;
        for (; pos < end; pos++) {
            char c = text.charAt(pos);
            if (quoted) {
                if (c == '\\') {
                    pos++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ' ') {
                break;
            }
        }
        if (pos >= end) {
            return;
        }
        int valueStart = pos + 1;
        int valueEnd = text.indexOf(' ', valueStart);
        if (valueEnd < 0 || valueEnd > end) {
            valueEnd = end;
        }
        if (valueEnd > valueStart && text.charAt(valueEnd - 1) == '\r') {
            valueEnd--;
        }
        handler.sample(text, start, pos, parseValue(text.substring(valueStart, valueEnd)));
    }

    static double parseValue(String value) {
        return switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    /** The labels of a series key ({@code name{a="1",b="2"}}), the metric name as {@code __name__}. */
    static Labels parseKey(String key) {
        int brace = key.indexOf('{');
        if (brace < 0) {
            return Labels.of(Labels.METRIC_NAME, key);
        }
        List<String> pairs = new ArrayList<>();
        pairs.add(Labels.METRIC_NAME);
        pairs.add(key.substring(0, brace));
        int pos = brace + 1;
        StringBuilder value = new StringBuilder();
        while (pos < key.length() && key.charAt(pos) != '}') {
            int eq = key.indexOf('=', pos);
            pairs.add(key.substring(pos, eq).trim());
            pos = eq + 2; // past ="
            value.setLength(0);
            while (key.charAt(pos) != '"') {
                char c = key.charAt(pos);
                if (c == '\\') {
                    char next = key.charAt(++pos);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                pos++;
            }
            pairs.add(value.toString());
            pos++; // past the closing quote
            if (pos < key.length() && key.charAt(pos) == ',') {
                pos++;
            }
        }
        return Labels.of(pairs.toArray(new String[0]));
    }
}
