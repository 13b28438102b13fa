package io.vigil.core.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed Prometheus scrape (text 0.0.4 or OpenMetrics), for asserting exact series in tests.
 * Shared with the adapter modules through core's test-jar.
 *
 * <pre>{@code
 * PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
 * assertThat(scrape.value("http_server_requests_seconds_count", "uri", "/users/{id}", "status", "200"))
 *     .isEqualTo(3);
 * }</pre>
 */
public final class PrometheusScrape {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        boolean matches(String[] labelPairs) {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!Objects.equals(labels.get(labelPairs[i]), labelPairs[i + 1])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Sample> samples;
    private final List<String> comments;

    private PrometheusScrape(List<Sample> samples, List<String> comments) {
        this.samples = samples;
        this.comments = comments;
    }

    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line);
                continue;
            }
            samples.add(parseLine(line));
        }
        return new PrometheusScrape(Collections.unmodifiableList(samples), Collections.unmodifiableList(comments));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The {@code # HELP}, {@code # TYPE}, {@code # UNIT} and {@code # EOF} lines. */
    public List<String> comments() {
        return comments;
    }

    public List<Sample> samples(String name) {
        List<Sample> named = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name)) {
                named.add(sample);
            }
        }
        return named;
    }

    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The label sets of every series of {@code name}. */
    public Set<Map<String, String>> series(String name) {
        Set<Map<String, String>> series = new LinkedHashSet<>();
        samples(name).forEach(sample -> series.add(sample.labels()));
        return series;
    }

    /** The distinct values of {@code label} across the series of {@code name}. */
    public Set<String> labelValues(String name, String label) {
        Set<String> values = new LinkedHashSet<>();
        samples(name).forEach(sample -> {
            String value = sample.labels().get(label);
            if (value != null) {
                values.add(value);
            }
        });
        return values;
    }

    /**
     * The value of the one series of {@code name} whose labels include {@code labelPairs} (key, value, …).
     *
     * @throws AssertionError when no series or more than one matches
     */
    public double value(String name, String... labelPairs) {
        List<Sample> matching = matching(name, labelPairs);
        if (matching.size() != 1) {
            throw new AssertionError("Expected one series " + name + " with " + List.of(labelPairs) + " but found "
                    + matching.size() + ": " + matching + "\nall series of that name: " + samples(name));
        }
        return matching.get(0).value();
    }

    /** The sum over every series of {@code name} whose labels include {@code labelPairs}; 0 when none. */
    public double sum(String name, String... labelPairs) {
        return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
    }

    public boolean has(String name, String... labelPairs) {
        return !matching(name, labelPairs).isEmpty();
    }

    private List<Sample> matching(String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key, value pairs");
        }
        List<Sample> matching = new ArrayList<>();
        for (Sample sample : samples(name)) {
            if (sample.matches(labelPairs)) {
                matching.add(sample);
            }
        }
        return matching;
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            rest = parseLabels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTime = line.substring(rest).trim().split("\\s+");
        return new Sample(name, Collections.unmodifiableMap(labels), parseValue(valueAndTime[0]));
    }

    /** Parses {@code key="value",…}} from {@code from}; returns the index after the closing brace. */
    private static int parseLabels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String key = line.substring(i, equals).trim();
            i = equals + 2; // skip ="
            StringBuilder value = new StringBuilder();
            while (line.charAt(i) != '"') {
                char c = line.charAt(i++);
                if (c == '\\') {
                    char escaped = line.charAt(i++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            i++; // closing quote
            labels.put(key, value.toString());
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    private static double parseValue(String value) {
        switch (value) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(value);
        }
    }
}
