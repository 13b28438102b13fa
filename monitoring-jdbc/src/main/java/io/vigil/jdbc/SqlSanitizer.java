package io.vigil.jdbc;

/**
 * SQL text safe for a log line: string literals (including dollar-quoted bodies) and numbers become
 * {@code ?}, comments are dropped, whitespace is collapsed and the result is cut at {@link #MAX_LENGTH}.
 * Quoted identifiers are kept. When in doubt (an unterminated literal) it redacts to the end: a log line may
 * lose structure but never a value.
 */
final class SqlSanitizer {

    static final int MAX_LENGTH = 2000;

    private SqlSanitizer() {
    }

    static String sanitize(String sql) {
        if (sql == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH) + 16);
        int length = sql.length();
        int i = 0;
        while (i < length && out.length() < MAX_LENGTH) {
            char c = sql.charAt(i);
            if (c == '\'') {
                i = skipString(sql, i);
                out.append('?');
            } else if (c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                int tagEnd = dollarTagEnd(sql, i);
                String tag = sql.substring(i, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                i = close < 0 ? length : close + tag.length();
                out.append('?');
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? length : newline + 1;
                space(out);
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? length : close + 2;
                space(out);
            } else if (isDigit(c) && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                i = skipNumber(sql, i);
                out.append('?');
            } else if (Character.isWhitespace(c)) {
                space(out);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        if (i < length) {
            out.append(" …(").append(length).append(" chars)");
        }
        return out.toString().trim();
    }

    private static void space(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    /** Skips a '…' literal; '' and a backslash escape the next character (MySQL, PostgreSQL E'…'). */
    private static int skipString(String sql, int start) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int close = sql.indexOf(quote, start + 1);
        return close < 0 ? sql.length() : close + 1;
    }

    /** The index after {@code $tag$} starting at {@code start}, or 0 if this is no dollar quote (e.g. $1). */
    private static int dollarTagEnd(String sql, int start) {
        int i = start + 1;
        while (i < sql.length() && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? i + 1 : 0;
    }

    private static int skipNumber(String sql, int start) {
        int i = start;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (isIdentifierPart(c) || c == '.') {
                i++;
            } else if ((c == '+' || c == '-') && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
