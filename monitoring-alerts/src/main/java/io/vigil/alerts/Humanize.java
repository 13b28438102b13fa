package io.vigil.alerts;

/** Prometheus' template functions {@code humanize}, {@code humanizePercentage} and {@code humanizeDuration}. */
final class Humanize {

    private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
    private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};

    private Humanize() {
    }

    static String humanize(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return GoFormat.g(v, 4);
        }
        String prefix = "";
        if (Math.abs(v) >= 1) {
            for (String p : BIG) {
                if (Math.abs(v) < 1000) {
                    break;
                }
                prefix = p;
                v /= 1000;
            }
            return GoFormat.g(v, 4) + prefix;
        }
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) {
                break;
            }
            prefix = p;
            v *= 1000;
        }
        return GoFormat.g(v, 4) + prefix;
    }

    static String percentage(double v) {
        return GoFormat.g(v * 100, 4) + "%";
    }

    static String duration(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return GoFormat.g(v, 4);
        }
        if (v == 0) {
            return GoFormat.g(v, 4) + "s";
        }
        if (Math.abs(v) >= 1) {
            String sign = "";
            if (v < 0) {
                sign = "-";
                v = -v;
            }
            long whole = (long) v;
            long seconds = whole % 60;
            long minutes = (whole / 60) % 60;
            long hours = (whole / 60 / 60) % 24;
            long days = whole / 60 / 60 / 24;
            if (days != 0) {
                return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
            }
            if (hours != 0) {
                return sign + hours + "h " + minutes + "m " + seconds + "s";
            }
            if (minutes != 0) {
                return sign + minutes + "m " + seconds + "s";
            }
            return sign + GoFormat.g(v, 4) + "s";
        }
        String prefix = "";
        for (String p : SMALL) {
            if (Math.abs(v) >= 1) {
                break;
            }
            prefix = p;
            v *= 1000;
        }
        return GoFormat.g(v, 4) + prefix + "s";
    }
}
