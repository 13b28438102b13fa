package io.vigil.alerts.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value notation of promtool's {@code input_series} (Prometheus' series descriptions): space-separated
 * items, each {@code a} (one value), {@code axN} (N+1 copies), {@code a+bxN} / {@code a-bxN} (N+1 values from
 * {@code a} in steps of {@code b}, accumulated in floating point as Prometheus does), {@code _} (a missing
 * scrape), {@code _xN} (N missing) and {@code stale} (a staleness marker). Numbers are read as Prometheus reads
 * them ({@code Inf}, {@code NaN}, exponents; a leading zero means octal).
 *
 * <p>{@link #expand} returns one entry per step: a value, {@link Series#STALE_NAN}, or {@code null} for a
 * missing scrape. {@link #toSeries} places the steps at 0, interval, 2×interval, … as promtool does.
 */
final class InputSeriesNotation {

    private static final String NUMBER = "(?:[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\\.(?:[eE][+-]?[0-9]+)?"
            + "|[iI][nN][fF]|[nN][aA][nN])";
    private static final Pattern ITEM = Pattern.compile(
            "(?<start>[+-]?" + NUMBER + ")(?:(?<step>[+-]" + NUMBER + ")?x(?<times>[0-9]+))?");
    private static final Pattern BLANK = Pattern.compile("_(?:x(?<times>[0-9]+))?");

    private InputSeriesNotation() {
    }

    static List<Double> expand(String notation) {
        List<Double> out = new ArrayList<>();
        for (String item : notation.trim().split("\\s+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.equals("stale")) {
                out.add(Series.STALE_NAN);
                continue;
            }
            Matcher blank = BLANK.matcher(item);
            if (blank.matches()) {
                int times = blank.group("times") == null ? 1 : Integer.parseInt(blank.group("times"));
                for (int i = 0; i < times; i++) {
                    out.add(null);
                }
                continue;
            }
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad item \"" + item + "\" in series values \"" + notation + "\"");
            }
            double value = number(m.group("start"));
            if (m.group("times") == null) {
                out.add(value);
                continue;
            }
            long times = Long.parseLong(m.group("times"));
            double step = m.group("step") == null ? 0 : number(m.group("step"));
            for (long i = 0; i <= times; i++) {
                out.add(value);
                value += step;
            }
        }
        return out;
    }

    /** The series with its points at 0, interval, 2×interval, … (missing scrapes leave gaps). */
    static Series toSeries(Labels labels, String notation, long intervalMillis) {
        List<Double> steps = expand(notation);
        long[] t = new long[steps.size()];
        double[] v = new double[steps.size()];
        int n = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) != null) {
                t[n] = i * intervalMillis;
                v[n] = steps.get(i);
                n++;
            }
        }
        return new Series(labels, java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(v, n));
    }

    private static double number(String text) {
        String sign = text.startsWith("-") ? "-" : "";
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        boolean[] valid = new boolean[1];
        double v = GoNumbers.parseLiteral(body, valid);
        if (!valid[0]) {
            throw new IllegalArgumentException("bad number \"" + text + "\"");
        }
        return sign.isEmpty() ? v : -v;
    }
}
