package io.vigil.alerts;

import java.time.Duration;

/**
 * Prometheus' duration notation ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code 1d}, {@code 2w}, {@code 1y}):
 * units from largest to smallest, each at most once, as Prometheus' {@code model.ParseDuration} accepts them.
 */
final class Durations {

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the text when it is not a Prometheus duration */
    static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        long total = 0;
        int pos = 0;
        int lastUnit = -1;
        while (pos < text.length()) {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            }
            long number;
            try {
                number = Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
            }
            int unit = -1;
            for (int u = 0; u < UNITS.length; u++) {
                if (text.startsWith(UNITS[u], pos) && !(UNITS[u].equals("m") && text.startsWith("ms", pos))) {
                    unit = u;
                    break;
                }
            }
            if (unit < 0 || unit <= lastUnit) {
                throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            }
            pos += UNITS[unit].length();
            lastUnit = unit;
            total = Math.addExact(total, Math.multiplyExact(number, MILLIS[unit]));
        }
        return Duration.ofMillis(total);
    }

    /** The shortest Prometheus notation of {@code duration} ({@code 0s} for zero), as Prometheus prints it. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < UNITS.length; u++) {
            long n = ms / MILLIS[u];
            if (n > 0) {
                sb.append(n).append(UNITS[u]);
                ms -= n * MILLIS[u];
            }
        }
        return sb.toString();
    }
}
