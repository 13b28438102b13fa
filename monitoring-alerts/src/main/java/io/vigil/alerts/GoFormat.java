package io.vigil.alerts;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Go's {@code fmt} formatting of numbers and strings, the part that alert templates use: {@code %v} of a
 * float64 ({@code 1e+06}, {@code 0.05}), {@code %g} with a precision (what {@code humanize} prints), {@code %f},
 * {@code %e}, {@code %d}, {@code %s}, {@code %q}, {@code %x}, with width, precision and the {@code -+0} flags.
 * Templates rendered by Vigil thus read exactly as Prometheus renders them.
 */
final class GoFormat {

    private GoFormat() {
    }

    /** Go's {@code %v} of a float64: the shortest representation, in exponent form below 1e-4 and from 1e+06. */
    static String value(double v) {
        return g(v, -1);
    }

    /** Go's {@code %g}; {@code precision} -1 is the shortest representation that reads back exactly. */
    static String g(double v, int precision) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String sign = v < 0 || (v == 0 && 1 / v < 0) ? "-" : "";
        if (v == 0) {
            return sign + "0";
        }
        BigDecimal digits = precision < 0 ? new BigDecimal(Double.toString(Math.abs(v)))
                : new BigDecimal(Math.abs(v)).round(new MathContext(precision == 0 ? 1 : precision, RoundingMode.HALF_EVEN));
        digits = digits.stripTrailingZeros();
        String unscaled = digits.unscaledValue().toString();
        int nd = unscaled.length();
        int dp = nd - digits.scale();
        int exp = dp - 1;
        int eprec = precision < 0 ? 6 : (precision == 0 ? 1 : precision);
        if (precision >= 0 && eprec > nd && nd >= dp) {
            eprec = nd;
        }
        if (exp < -4 || exp >= eprec) {
            StringBuilder sb = new StringBuilder(sign).append(unscaled.charAt(0));
            if (nd > 1) {
                sb.append('.').append(unscaled, 1, nd);
            }
            return sb.append(exponent(exp)).toString();
        }
        return sign + digits.toPlainString();
    }

    /** Go's {@code %.Nf}. */
    static String f(double v, int precision) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return g(v, -1);
        }
        String s = new BigDecimal(v).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return v < 0 || (v == 0 && 1 / v < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }

    /** Go's {@code %.Ne}. */
    static String e(double v, int precision) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return g(v, -1);
        }
        String sign = v < 0 ? "-" : "";
        if (v == 0) {
            return sign + "0" + (precision > 0 ? "." + "0".repeat(precision) : "") + "e+00";
        }
        BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String unscaled = d.unscaledValue().toString();
        int exp = unscaled.length() - d.scale() - 1;
        unscaled = (unscaled + "0".repeat(precision + 1)).substring(0, precision + 1);
        StringBuilder sb = new StringBuilder(sign).append(unscaled.charAt(0));
        if (precision > 0) {
            sb.append('.').append(unscaled, 1, precision + 1);
        }
        return sb.append(exponent(exp)).toString();
    }

    private static String exponent(int exp) {
        int abs = Math.abs(exp);
        return "e" + (exp < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
    }

    /** Go's default printing of a template value ({@code {{ $value }}}). */
    static String print(Object value) {
        if (value instanceof Double d) {
            return value(d);
        }
        if (value instanceof java.util.Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (java.util.Map.Entry<?, ?> e : new java.util.TreeMap<>(map).entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(e.getKey()).append(':').append(e.getValue());
            }
            return sb.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** Go's {@code fmt.Sprintf} for the verbs above; a verb that does not fit its argument prints as Go does. */
    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            boolean minus = false;
            boolean plus = false;
            boolean zero = false;
            boolean space = false;
            for (; i < format.length(); i++) {
                char flag = format.charAt(i);
                if (flag == '-') {
                    minus = true;
                } else if (flag == '+') {
                    plus = true;
                } else if (flag == '0') {
                    zero = true;
                } else if (flag == ' ') {
                    space = true;
                } else if (flag != '#') {
                    break;
                }
            }
            int width = -1;
            int start = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                i++;
            }
            if (i > start) {
                width = Integer.parseInt(format.substring(start, i));
            }
            int precision = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                start = i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(argIndex++);
            String text = verb(verb, arg, precision);
            if (arg instanceof Double d && !text.startsWith("%!")) {
                if (plus && d >= 0 && !text.startsWith("+")) {
                    text = "+" + text;
                } else if (space && d >= 0) {
                    text = " " + text;
                }
            }
            out.append(pad(text, width, minus, zero && arg instanceof Double));
        }
        if (argIndex < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argIndex; k < args.size(); k++) {
                if (k > argIndex) {
                    out.append(", ");
                }
                Object a = args.get(k);
                out.append(a instanceof Double ? "float64" : "string").append('=').append(print(a));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String verb(char verb, Object arg, int precision) {
        if (arg instanceof Double d) {
            return switch (verb) {
                case 'v', 'g' -> g(d, precision);
                case 'f', 'F' -> f(d, precision < 0 ? 6 : precision);
                case 'e' -> e(d, precision < 0 ? 6 : precision);
                default -> "%!" + verb + "(float64=" + value(d) + ")";
            };
        }
        String s = print(arg);
        return switch (verb) {
            case 'v', 's' -> precision >= 0 && precision < s.length() ? s.substring(0, precision) : s;
            case 'q' -> quote(s);
            case 'x' -> hex(s);
            default -> "%!" + verb + "(string=" + s + ")";
        };
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static String pad(String text, int width, boolean left, boolean zeros) {
        if (width <= text.length()) {
            return text;
        }
        String fill = (zeros && !left ? "0" : " ").repeat(width - text.length());
        if (left) {
            return text + fill;
        }
        if (zeros && (text.startsWith("-") || text.startsWith("+"))) {
            return text.charAt(0) + fill + text.substring(1);
        }
        return fill + text;
    }
}
