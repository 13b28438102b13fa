package io.vigil.core.exposition;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders a {@link PrometheusMeterRegistry} in the format the scraper asked for: OpenMetrics 1.0 when the
 * {@code Accept} header offers {@code application/openmetrics-text} with a non-zero quality (Prometheus
 * does by default), else the classic text format 0.0.4.
 *
 * <p>Needs {@code micrometer-registry-prometheus} on the class path (an optional dependency of core).
 */
public final class PrometheusExposition {

    public static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_1_0 = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private PrometheusExposition() {
    }

    /**
     * The content type to answer with for this {@code Accept} header (null or absent: text 0.0.4). Never throws:
     * the header is a client's input, so anything malformed ({@code ;}, {@code ,,}, a bad {@code q}, control
     * characters) is read as "not asking for OpenMetrics" and answered with text 0.0.4, which every Prometheus
     * understands.
     */
    public static String negotiate(String accept) {
        if (accept == null) {
            return TEXT_0_0_4;
        }
        int length = accept.length();
        int from = 0;
        while (from <= length) {
            int end = accept.indexOf(',', from);
            if (end < 0) {
                end = length;
            }
            if (offersOpenMetrics(accept, from, end)) {
                return OPENMETRICS_1_0;
            }
            from = end + 1;
        }
        return TEXT_0_0_4;
    }

    /** Writes the scrape for {@code accept}; returns the content type written. */
    public static String write(PrometheusMeterRegistry registry, String accept, OutputStream out)
            throws IOException {
        String contentType = negotiate(accept);
        registry.scrape(out, contentType);
        return contentType;
    }

    /** The scrape as a string, for tests and small tools. */
    public static String scrape(PrometheusMeterRegistry registry, String accept) {
        return registry.scrape(negotiate(accept));
    }

    private static final String OPENMETRICS = "application/openmetrics-text";

    /** Whether the media range in {@code accept[from, end)} is OpenMetrics with a quality above zero. */
    private static boolean offersOpenMetrics(String accept, int from, int end) {
        int semicolon = accept.indexOf(';', from);
        int typeEnd = semicolon < 0 || semicolon > end ? end : semicolon;
        int typeStart = skipSpaces(accept, from, typeEnd);
        int typeStop = trimEnd(accept, typeStart, typeEnd);
        if (typeStop - typeStart != OPENMETRICS.length()
                || !accept.regionMatches(true, typeStart, OPENMETRICS, 0, OPENMETRICS.length())) {
            return false;
        }
        // Parameters: the first q= decides; none means q=1.
        for (int p = typeEnd; p < end; ) {
            int next = accept.indexOf(';', p + 1);
            if (next < 0 || next > end) {
                next = end;
            }
            int nameStart = skipSpaces(accept, p + 1, next);
            if (nameStart + 1 < next && (accept.charAt(nameStart) == 'q' || accept.charAt(nameStart) == 'Q')
                    && accept.charAt(nameStart + 1) == '=') {
                return quality(accept, nameStart + 2, next) > 0;
            }
            p = next;
        }
        return true;
    }

    /**
     * RFC 9110's qvalue ({@code 0}, {@code 0.5}, {@code 1.000}) in {@code s[from, end)}, parsed by hand so a
     * malformed one costs no exception; anything else is 0, i.e. "not acceptable".
     */
    static double quality(String s, int from, int end) {
        int start = skipSpaces(s, from, end);
        int stop = trimEnd(s, start, end);
        if (start >= stop || stop - start > 5) {
            return 0;
        }
        char first = s.charAt(start);
        if (first != '0' && first != '1') {
            return 0;
        }
        double value = first - '0';
        if (stop - start == 1) {
            return value;
        }
        if (s.charAt(start + 1) != '.') {
            return 0;
        }
        double scale = 0.1;
        for (int i = start + 2; i < stop; i++, scale /= 10) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || (first == '1' && c != '0')) {
                return 0;
            }
            value += (c - '0') * scale;
        }
        return value;
    }

    private static int skipSpaces(String s, int from, int end) {
        int i = from;
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimEnd(String s, int from, int end) {
        int i = end;
        while (i > from && (s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
            i--;
        }
        return i;
    }
}
