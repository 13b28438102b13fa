package io.vigil.alerts.promql;

import java.math.BigDecimal;

/**
 * Number syntax as Prometheus reads it, which is Go's: number literals ({@code strconv.ParseInt} with base
 * prefix, else {@code ParseFloat}), and {@code le} bucket bounds ({@code ParseFloat}). Java's
 * {@code Double.parseDouble} accepts more (trailing {@code d}, whitespace, {@code Infinity}) and reads
 * {@code 010} as ten, so the syntax is checked here first.
 */
final class GoNumbers {

    private GoNumbers() {
    }

    /** A PromQL number literal as the lexer delimits it; NaN with {@code valid[0] = false} when Go rejects it. */
    static double parseLiteral(String text, boolean[] valid) {
        valid[0] = true;
        Long asInt = parseGoInt(text);
        if (asInt != null) {
            return asInt;
        }
        double f = parseFloat(text);
        if (Double.isNaN(f) && !isNaNLiteral(text)) {
            valid[0] = false;
        }
        return f;
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)}: decimal, {@code 0x} hex, leading-zero octal; null on error. */
    private static Long parseGoInt(String s) {
        String body = s;
        boolean negative = false;
        if (body.startsWith("+") || body.startsWith("-")) {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        int radix = 10;
        if (body.length() > 2 && body.charAt(0) == '0' && (body.charAt(1) == 'x' || body.charAt(1) == 'X')) {
            radix = 16;
            body = body.substring(2);
        } else if (body.length() > 1 && body.charAt(0) == '0') {
            radix = 8;
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            return null;
        }
        for (int i = 0; i < body.length(); i++) {
            if (Character.digit(body.charAt(i), radix) < 0) {
                return null;
            }
        }
        try {
            return Long.parseLong(negative ? "-" + body : body, radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isNaNLiteral(String s) {
        String b = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        return b.equalsIgnoreCase("nan");
    }

    /**
     * Go's {@code strconv.ParseFloat(s, 64)}: returns the value, or NaN for a syntax or range error (check
     * {@link #isFloat} to tell an error from a NaN).
     */
    static double parseFloat(String s) {
        return isFloat(s) ? Double.parseDouble(javaSpelling(s)) : Double.NaN;
    }

    /** Whether Go's {@code ParseFloat} accepts {@code s} without error (out-of-range finite values are errors). */
    static boolean isFloat(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int i = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            i++;
        }
        String b = s.substring(i);
        if (b.equalsIgnoreCase("inf") || b.equalsIgnoreCase("infinity") || b.equalsIgnoreCase("nan")) {
            return true;
        }
        if (b.length() > 2 && b.charAt(0) == '0' && (b.charAt(1) == 'x' || b.charAt(1) == 'X')) {
            return hexFloat(b.substring(2)) && Double.isFinite(Double.parseDouble(javaSpelling(s)));
        }
        int digits = 0;
        int k = 0;
        while (k < b.length() && (Lexer.isDigit(b.charAt(k)) || b.charAt(k) == '_')) {
            digits += b.charAt(k) == '_' ? 0 : 1;
            if (b.charAt(k) == '_') {
                return false; // underscores only with a base prefix
            }
            k++;
        }
        if (k < b.length() && b.charAt(k) == '.') {
            k++;
            while (k < b.length() && Lexer.isDigit(b.charAt(k))) {
                digits++;
                k++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (k < b.length() && (b.charAt(k) == 'e' || b.charAt(k) == 'E')) {
            k++;
            if (k < b.length() && (b.charAt(k) == '+' || b.charAt(k) == '-')) {
                k++;
            }
            int expDigits = 0;
            while (k < b.length() && Lexer.isDigit(b.charAt(k))) {
                expDigits++;
                k++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return k == b.length() && Double.isFinite(Double.parseDouble(s));
    }

    private static boolean hexFloat(String b) {
        int p = Math.max(b.indexOf('p'), b.indexOf('P'));
        if (p < 0) {
            return false; // Go requires the binary exponent in hex floats
        }
        String mantissa = b.substring(0, p);
        String exp = b.substring(p + 1);
        if (mantissa.isEmpty() || mantissa.equals(".")) {
            return false;
        }
        for (char c : mantissa.toCharArray()) {
            if (c != '.' && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        if (exp.startsWith("+") || exp.startsWith("-")) {
            exp = exp.substring(1);
        }
        return !exp.isEmpty() && exp.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String javaSpelling(String s) {
        String sign = s.startsWith("-") ? "-" : "";
        String b = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        if (b.equalsIgnoreCase("inf") || b.equalsIgnoreCase("infinity")) {
            return sign + "Infinity";
        }
        if (b.equalsIgnoreCase("nan")) {
            return "NaN";
        }
        return s;
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: the shortest decimal that reads back as {@code v},
     * without exponent ({@code count_values} labels).
     */
    static String formatPlain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        String plain = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return plain;
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}-like shortest representation used where Prometheus
     * prints a float into a label or message.
     */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e21) {
            return formatPlain(v);
        }
        return Double.toString(v);
    }
}
