package io.vigil.core.normalize;

/**
 * The {@code db.operation} tag: the verb of a SQL statement, never any of its text.
 *
 * <p>{@link #of(String)} skips whitespace, {@code --} and (nested) block comments and leading parentheses,
 * reads the first keyword case-insensitively, and sees through {@code WITH [RECURSIVE] name [(cols)] AS
 * [[NOT] MATERIALIZED] (…)} lists to the statement they prefix, honouring string literals, quoted
 * identifiers and dollar quotes inside the CTE bodies. JDBC call escapes ({@code {call p(?)}},
 * {@code {? = call f(?)}}) are {@link #CALL}. One pass over the text; adapters cache the result per
 * prepared statement.
 */
public enum SqlOperation {
    SELECT,
    INSERT,
    UPDATE,
    DELETE,
    MERGE,
    CALL,
    DDL,
    OTHER;

    public static SqlOperation of(String sql) {
        if (sql == null) {
            return OTHER;
        }
        SqlOperation plain = plainVerb(sql);
        return plain != null ? plain : new Scanner(sql).statement();
    }

    /**
     * The common case without allocating: whitespace, then a verb other than WITH. Null when the statement
     * starts otherwise (comments, parentheses, escapes, CTEs) and needs the full scanner.
     */
    private static SqlOperation plainVerb(String sql) {
        int length = sql.length();
        int start = 0;
        while (start < length && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < length && Scanner.isLetter(sql.charAt(end))) {
            end++;
        }
        if (end == start || (end < length && !Character.isWhitespace(sql.charAt(end)))) {
            return null;
        }
        for (SqlOperation operation : PLAIN) {
            String verb = operation.name();
            if (verb.length() == end - start && sql.regionMatches(true, start, verb, 0, verb.length())) {
                return operation;
            }
        }
        return null;
    }

    private static final SqlOperation[] PLAIN = {SELECT, INSERT, UPDATE, DELETE, MERGE, CALL};

    static SqlOperation ofKeyword(String word) {
        switch (word) {
            case "SELECT":
            case "VALUES":
            case "TABLE":
            case "SHOW":
            case "EXPLAIN":
                return SELECT;
            case "INSERT":
            case "REPLACE":
            case "UPSERT":
                return INSERT;
            case "UPDATE":
                return UPDATE;
            case "DELETE":
                return DELETE;
            case "MERGE":
                return MERGE;
            case "CALL":
            case "EXEC":
            case "EXECUTE":
                return CALL;
            case "CREATE":
            case "ALTER":
            case "DROP":
            case "TRUNCATE":
            case "RENAME":
            case "COMMENT":
            case "GRANT":
            case "REVOKE":
                return DDL;
            default:
                return OTHER;
        }
    }

    /** A forward-only reader over one statement. */
    private static final class Scanner {
        private static final String[] KEYWORDS = {
            "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN", "REPLACE",
            "UPSERT", "MERGE", "CALL", "EXEC", "EXECUTE", "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME",
            "COMMENT", "GRANT", "REVOKE", "RECURSIVE", "AS", "NOT", "MATERIALIZED"
        };
        private static final String UNKNOWN_WORD = "";

        private final String sql;
        private final int length;
        private int pos;

        Scanner(String sql) {
            this.sql = sql;
            this.length = sql.length();
        }

        SqlOperation statement() {
            skipNoise(true);
            if (pos < length && sql.charAt(pos) == '{') { // JDBC escape: {call …} or {? = call …}
                pos++;
                skipNoise(false);
                if (pos < length && sql.charAt(pos) == '?') {
                    pos++;
                    skipNoise(false);
                    if (pos < length && sql.charAt(pos) == '=') {
                        pos++;
                    }
                }
                skipNoise(false);
                return "CALL".equals(keyword()) ? CALL : OTHER;
            }
            String word = keyword();
            if (!"WITH".equals(word)) {
                return word == null ? OTHER : ofKeyword(word);
            }
            return afterWith();
        }

        /** After WITH: skip each {@code name [(cols)] AS [NOT] [MATERIALIZED] (body)} then read the verb. */
        private SqlOperation afterWith() {
            skipNoise(false);
            int mark = pos;
            if (!"RECURSIVE".equals(keyword())) {
                pos = mark;
            }
            while (true) {
                skipNoise(false);
                if (!skipIdentifier()) {
                    return OTHER;
                }
                skipNoise(false);
                if (pos < length && sql.charAt(pos) == '(') {
                    skipParenthesized();
                    skipNoise(false);
                }
                if (!"AS".equals(keyword())) {
                    return OTHER;
                }
                skipNoise(false);
                mark = pos;
                String word = keyword();
                if ("NOT".equals(word)) {
                    skipNoise(false);
                    word = keyword();
                }
                if (!"MATERIALIZED".equals(word)) {
                    pos = mark;
                }
                skipNoise(false);
                if (pos >= length || sql.charAt(pos) != '(') {
                    return OTHER;
                }
                skipParenthesized();
                skipNoise(false);
                if (pos < length && sql.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                skipNoise(true);
                String verb = keyword();
                return verb == null ? OTHER : ofKeyword(verb);
            }
        }

        /** Skips whitespace and comments; with {@code parentheses}, also opening parentheses. */
        private void skipNoise(boolean parentheses) {
            while (pos < length) {
                char c = sql.charAt(pos);
                if (Character.isWhitespace(c) || (parentheses && c == '(')) {
                    pos++;
                } else if (c == '-' && pos + 1 < length && sql.charAt(pos + 1) == '-') {
                    int newline = sql.indexOf('\n', pos);
                    pos = newline < 0 ? length : newline + 1;
                } else if (c == '/' && pos + 1 < length && sql.charAt(pos + 1) == '*') {
                    skipBlockComment();
                } else {
                    return;
                }
            }
        }

        private void skipBlockComment() {
            int depth = 0;
            while (pos < length) {
                if (sql.startsWith("/*", pos)) {
                    depth++;
                    pos += 2;
                } else if (sql.startsWith("*/", pos)) {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    pos++;
                }
            }
        }

        /**
         * Reads an unquoted word and returns it as one of {@link #KEYWORDS} (the constant itself, so nothing
         * is allocated), {@link #UNKNOWN_WORD} for any other word, or null when there is no word here.
         */
        private String keyword() {
            int start = pos;
            while (pos < length && isLetter(sql.charAt(pos))) {
                pos++;
            }
            int wordLength = pos - start;
            if (wordLength == 0) {
                return null;
            }
            if (pos < length && isIdentifierPart(sql.charAt(pos))) {
                return UNKNOWN_WORD; // SELECT1, select_x: an identifier, not a keyword
            }
            for (String keyword : KEYWORDS) {
                if (keyword.length() == wordLength && sql.regionMatches(true, start, keyword, 0, wordLength)) {
                    return keyword;
                }
            }
            return UNKNOWN_WORD;
        }

        private boolean skipIdentifier() {
            if (pos >= length) {
                return false;
            }
            char c = sql.charAt(pos);
            if (c == '"' || c == '`' || c == '[') {
                skipQuoted(c == '[' ? ']' : c);
                return true;
            }
            int start = pos;
            while (pos < length && isIdentifierPart(sql.charAt(pos))) {
                pos++;
            }
            return pos > start;
        }

        /** Skips a balanced {@code ( … )}, ignoring parentheses inside literals, identifiers and comments. */
        private void skipParenthesized() {
            int depth = 0;
            while (pos < length) {
                char c = sql.charAt(pos);
                if (c == '(') {
                    depth++;
                    pos++;
                } else if (c == ')') {
                    depth--;
                    pos++;
                    if (depth == 0) {
                        return;
                    }
                } else if (c == '\'' || c == '"' || c == '`') {
                    skipQuoted(c);
                } else if (c == '$' && skipDollarQuoted()) {
                    // skipped a $tag$ … $tag$ body
                } else if (c == '-' && pos + 1 < length && sql.charAt(pos + 1) == '-') {
                    int newline = sql.indexOf('\n', pos);
                    pos = newline < 0 ? length : newline + 1;
                } else if (c == '/' && pos + 1 < length && sql.charAt(pos + 1) == '*') {
                    skipBlockComment();
                } else {
                    pos++;
                }
            }
        }

        /** Skips a quoted run starting at {@code pos}; a doubled quote is an escaped quote. */
        private void skipQuoted(char close) {
            pos++;
            while (pos < length) {
                char c = sql.charAt(pos++);
                if (c == close) {
                    if (pos < length && sql.charAt(pos) == close && close != ']') {
                        pos++;
                    } else {
                        return;
                    }
                }
            }
        }

        private boolean skipDollarQuoted() {
            int tagEnd = pos + 1;
            while (tagEnd < length && isTagPart(sql.charAt(tagEnd))) {
                tagEnd++;
            }
            if (tagEnd >= length || sql.charAt(tagEnd) != '$') {
                return false;
            }
            String tag = sql.substring(pos, tagEnd + 1);
            int close = sql.indexOf(tag, tagEnd + 1);
            pos = close < 0 ? length : close + tag.length();
            return true;
        }

        private static boolean isLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static boolean isTagPart(char c) {
            return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
        }

        private static boolean isIdentifierPart(char c) {
            return isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '$';
        }
    }
}
