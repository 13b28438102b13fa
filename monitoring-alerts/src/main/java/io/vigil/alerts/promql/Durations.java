package io.vigil.alerts.promql;

/**
 * Prometheus' duration syntax ({@code model.ParseDuration}): units {@code y w d h m s ms} in that order, each
 * at most once, integers only ({@code 1h30m}, {@code 5m}, {@code 1d}, {@code 250ms}); {@code 1y} is 365 days.
 */
final class Durations {

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000L, 60_000L,
            1000L, 1L};

    private Durations() {
    }

    /** Milliseconds, or -1 when {@code text} is not a valid duration. {@code "0"} is zero. */
    static long parseMillis(String text) {
        if (text.equals("0")) {
            return 0;
        }
        if (text.isEmpty()) {
            return -1;
        }
        long total = 0;
        int pos = 0;
        int nextUnit = 0;
        while (pos < text.length()) {
            int digitsStart = pos;
            while (pos < text.length() && Lexer.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == digitsStart) {
                return -1;
            }
            long n;
            try {
                n = Long.parseLong(text.substring(digitsStart, pos));
            } catch (NumberFormatException e) {
                return -1;
            }
            int unitStart = pos;
            while (pos < text.length() && !Lexer.isDigit(text.charAt(pos))) {
                pos++;
            }
            String unit = text.substring(unitStart, pos);
            int u = -1;
            for (int i = nextUnit; i < UNITS.length; i++) {
                if (UNITS[i].equals(unit)) {
                    u = i;
                    break;
                }
            }
            if (u < 0) {
                return -1;
            }
            nextUnit = u + 1;
            if (n > Long.MAX_VALUE / MILLIS[u] || total > Long.MAX_VALUE - n * MILLIS[u]) {
                return -1;
            }
            total += n * MILLIS[u];
        }
        return total;
    }

    /** Prometheus' shortest spelling of a duration ({@code 1h30m}, {@code 5m}, {@code 0s}). */
    static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (millis < 0) {
            sb.append('-');
            millis = -millis;
        }
        for (int i = 0; i < UNITS.length; i++) {
            long n = millis / MILLIS[i];
            if (n > 0) {
                sb.append(n).append(UNITS[i]);
                millis -= n * MILLIS[i];
            }
        }
        return sb.toString();
    }
}
