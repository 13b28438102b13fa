package io.vigil.alerts.promql;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, as Prometheus keeps them. The metric name is the label
 * {@code __name__}. Equal label sets are {@code equals} and hash alike.
 */
public final class Labels implements Comparable<Labels> {

    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    /** name0, value0, name1, value1, … sorted by name; no empty values (as in Prometheus, empty = absent). */
    private final String[] pairs;
    private final int hash;
    private Labels withoutName;
    private Projection lastProjection;

    private static final String[] METRIC_NAME_ONLY = {METRIC_NAME};

    private Labels(String[] pairs) {
        this.pairs = pairs;
        this.hash = Arrays.hashCode(pairs);
    }

    /** From name/value pairs in any order; a label with an empty value is dropped, as in Prometheus. */
    public static Labels of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("label names and values must come in pairs");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            sorted.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return of(sorted);
    }

    public static Labels of(Map<String, String> labels) {
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        sorted.values().removeIf(v -> v == null || v.isEmpty());
        String[] pairs = new String[sorted.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return new Labels(pairs);
    }

    /** Trusted constructor for the evaluator: {@code pairs} already sorted by name, no empty values. */
    static Labels ofSortedPairs(String[] pairs) {
        return pairs.length == 0 ? EMPTY : new Labels(pairs);
    }

    /** Whether a label {@code name} is present (has a non-empty value). */
    boolean has(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only the labels named in {@code names} ({@code keep} true), or all but them ({@code keep} false); the
     * evaluator's projection for grouping, matching and dropping the metric name. Returns {@code this} when
     * nothing changes, so an unchanged label set is not copied.
     */
    Labels project(boolean keep, String[] names) {
        Projection last = lastProjection;
        if (last != null && last.keep == keep && (last.names == names || Arrays.equals(last.names, names))) {
            return last.result; // the same projection as in the previous evaluation: no allocation
        }
        Labels result = computeProjection(keep, names);
        lastProjection = new Projection(names, keep, result);
        return result;
    }

    /** The last projection of this label set, remembered as one immutable object (safe to race on). */
    private record Projection(String[] names, boolean keep, Labels result) {
    }

    private Labels computeProjection(boolean keep, String[] names) {
        int kept = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (contains(names, pairs[i]) == keep) {
                kept++;
            }
        }
        if (kept * 2 == pairs.length) {
            return this;
        }
        String[] out = new String[kept * 2];
        int k = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (contains(names, pairs[i]) == keep) {
                out[k++] = pairs[i];
                out[k++] = pairs[i + 1];
            }
        }
        return ofSortedPairs(out);
    }

    /**
     * A copy without the metric name, or {@code this} when it has none. Remembered, so that a store's stable
     * label sets cost no allocation per evaluation in {@code rate()} and friends (a benign race: the copy is
     * immutable and equal whoever computes it).
     */
    Labels withoutMetricName() {
        Labels cached = withoutName;
        if (cached == null) {
            cached = has(METRIC_NAME) ? computeProjection(false, METRIC_NAME_ONLY) : this;
            withoutName = cached;
        }
        return cached;
    }

    /** A copy with {@code name} set to {@code value}, or removed when {@code value} is empty; sorted insert. */
    Labels set(String name, String value) {
        int at = -1;
        int insert = pairs.length;
        for (int i = 0; i < pairs.length; i += 2) {
            int c = pairs[i].compareTo(name);
            if (c == 0) {
                at = i;
                break;
            }
            if (c > 0) {
                insert = i;
                break;
            }
        }
        if (value == null || value.isEmpty()) {
            if (at < 0) {
                return this;
            }
            String[] out = new String[pairs.length - 2];
            System.arraycopy(pairs, 0, out, 0, at);
            System.arraycopy(pairs, at + 2, out, at, pairs.length - at - 2);
            return ofSortedPairs(out);
        }
        if (at >= 0) {
            if (pairs[at + 1].equals(value)) {
                return this;
            }
            String[] out = pairs.clone();
            out[at + 1] = value;
            return new Labels(out);
        }
        String[] out = new String[pairs.length + 2];
        System.arraycopy(pairs, 0, out, 0, insert);
        out[insert] = name;
        out[insert + 1] = value;
        System.arraycopy(pairs, insert, out, insert + 2, pairs.length - insert);
        return new Labels(out);
    }

    private static boolean contains(String[] names, String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The value of {@code name}, or {@code ""} when absent (Prometheus treats both alike). */
    public String get(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return "";
    }

    public int size() {
        return pairs.length / 2;
    }

    public String name(int index) {
        return pairs[index * 2];
    }

    public String value(int index) {
        return pairs[index * 2 + 1];
    }

    /** A sorted copy as a map (name → value). */
    public TreeMap<String, String> toMap() {
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** A copy with {@code name} set to {@code value} (removed when {@code value} is empty). */
    public Labels with(String name, String value) {
        TreeMap<String, String> map = toMap();
        map.put(name, value);
        return of(map);
    }

    /** A copy without the given labels. */
    public Labels without(String... names) {
        TreeMap<String, String> map = toMap();
        for (String n : names) {
            map.remove(n);
        }
        return of(map);
    }

    @Override
    public int compareTo(Labels other) {
        int n = Math.min(pairs.length, other.pairs.length);
        for (int i = 0; i < n; i++) {
            int c = pairs[i].compareTo(other.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, other.pairs.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && hash == other.hash && Arrays.equals(pairs, other.pairs);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Prometheus' notation: {@code {a="1", b="2"}}, values escaped as in the text format. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pairs[i]).append("=\"");
            String v = pairs[i + 1];
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }
}
