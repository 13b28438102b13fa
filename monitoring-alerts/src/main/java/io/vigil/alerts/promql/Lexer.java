package io.vigil.alerts.promql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PromQL's lexer, state for state as Prometheus' (promql/parser/lex.go): label names inside braces are plain
 * identifiers, a {@code [} starts a duration, numbers may be hexadecimal or carry an exponent, {@code Inf} and
 * {@code NaN} are numbers, {@code #} starts a comment. Errors carry the position of the offending character.
 */
final class Lexer {

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int start;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;

    private Lexer(String input) {
        this.input = input;
    }

    static List<Token> tokenize(String input) {
        Lexer lexer = new Lexer(input);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            start = pos;
            if (pos >= input.length()) {
                if (braceOpen) {
                    throw error("unexpected end of input inside braces", pos);
                }
                if (parenDepth != 0) {
                    throw error("unclosed left parenthesis", pos);
                }
                if (bracketOpen) {
                    throw error("unclosed left bracket", pos);
                }
                emit(TokenType.EOF);
                return;
            }
            if (braceOpen) {
                insideBraces();
            } else {
                statement();
            }
        }
    }

    private void statement() {
        char r = input.charAt(pos++);
        switch (r) {
            case '#' -> comment();
            case ' ', '\t', '\n', '\r' -> { }
            case ',' -> emit(TokenType.COMMA);
            case '*' -> emit(TokenType.MUL);
            case '/' -> emit(TokenType.DIV);
            case '%' -> emit(TokenType.MOD);
            case '+' -> emit(TokenType.ADD);
            case '-' -> emit(TokenType.SUB);
            case '^' -> emit(TokenType.POW);
            case '@' -> emit(TokenType.AT);
            case '=' -> {
                if (peek() == '=') {
                    pos++;
                    emit(TokenType.EQLC);
                } else if (peek() == '~') {
                    throw error("unexpected character after '=': '~'", pos);
                } else {
                    emit(TokenType.EQL);
                }
            }
            case '!' -> {
                if (peek() == '=') {
                    pos++;
                    emit(TokenType.NEQ);
                } else {
                    throw error("unexpected character after '!': " + quoteChar(peek()), pos);
                }
            }
            case '<' -> {
                if (peek() == '=') {
                    pos++;
                    emit(TokenType.LTE);
                } else {
                    emit(TokenType.LSS);
                }
            }
            case '>' -> {
                if (peek() == '=') {
                    pos++;
                    emit(TokenType.GTE);
                } else {
                    emit(TokenType.GTR);
                }
            }
            case '"', '\'' -> string(r);
            case '`' -> rawString();
            case '(' -> {
                emit(TokenType.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(TokenType.RIGHT_PAREN);
                if (--parenDepth < 0) {
                    throw error("unexpected right parenthesis ')'", start);
                }
            }
            case '{' -> {
                emit(TokenType.LEFT_BRACE);
                braceOpen = true;
            }
            case '[' -> {
                if (bracketOpen) {
                    throw error("unexpected left bracket '['", start);
                }
                emit(TokenType.LEFT_BRACKET);
                bracketOpen = true;
                while (isSpace(peek())) {
                    pos++;
                }
                start = pos;
                duration();
            }
            case ']' -> {
                if (!bracketOpen) {
                    throw error("unexpected right bracket ']'", start);
                }
                emit(TokenType.RIGHT_BRACKET);
                bracketOpen = false;
            }
            default -> {
                if (isDigit(r) || r == '.' && isDigit(peek())) {
                    pos--;
                    numberOrDuration();
                } else if (r == ':' && bracketOpen) {
                    emit(TokenType.COLON);
                } else if ((isAlpha(r) || r == ':') && !bracketOpen) {
                    pos--;
                    keywordOrIdentifier();
                } else {
                    throw error("unexpected character: " + quoteChar(r), start);
                }
            }
        }
    }

    private void insideBraces() {
        char r = input.charAt(pos++);
        switch (r) {
            case '#' -> comment();
            case ' ', '\t', '\n', '\r' -> { }
            case ',' -> emit(TokenType.COMMA);
            case '"', '\'' -> string(r);
            case '`' -> rawString();
            case '=' -> {
                if (peek() == '~') {
                    pos++;
                    emit(TokenType.EQL_REGEX);
                } else {
                    emit(TokenType.EQL);
                }
            }
            case '!' -> {
                char n = peek();
                if (n == '~') {
                    pos++;
                    emit(TokenType.NEQ_REGEX);
                } else if (n == '=') {
                    pos++;
                    emit(TokenType.NEQ);
                } else {
                    throw error("unexpected character after '!' inside braces: " + quoteChar(n), pos);
                }
            }
            case '{' -> throw error("unexpected left brace '{'", start);
            case '}' -> {
                emit(TokenType.RIGHT_BRACE);
                braceOpen = false;
            }
            default -> {
                if (isAlpha(r)) {
                    while (isAlphaNumeric(peek())) {
                        pos++;
                    }
                    emit(TokenType.IDENTIFIER);
                } else {
                    throw error("unexpected character inside braces: " + quoteChar(r), start);
                }
            }
        }
    }

    private void comment() {
        while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
            pos++;
        }
    }

    private void keywordOrIdentifier() {
        while (isAlphaNumeric(peek()) || peek() == ':') {
            pos++;
        }
        String word = input.substring(start, pos);
        TokenType keyword = TokenType.keyword(word);
        if (keyword != null) {
            emit(keyword);
        } else if (word.indexOf(':') < 0) {
            emit(TokenType.IDENTIFIER);
        } else {
            emit(TokenType.METRIC_IDENTIFIER);
        }
    }

    private void duration() {
        if (scanNumber()) {
            throw error("missing unit character in duration", start);
        }
        if (!acceptRemainingDuration()) {
            throw error("bad duration syntax: \"" + input.substring(start, Math.min(pos, input.length())) + "\"", start);
        }
        emit(TokenType.DURATION);
    }

    private void numberOrDuration() {
        if (scanNumber()) {
            emit(TokenType.NUMBER);
            return;
        }
        if (acceptRemainingDuration()) {
            emit(TokenType.DURATION);
            return;
        }
        throw error("bad number or duration syntax: \"" + input.substring(start, Math.min(pos, input.length())) + "\"",
                start);
    }

    /** Prometheus' scanNumber: true when a number ends here (not followed by a letter or digit). */
    private boolean scanNumber() {
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            digits = "0123456789abcdefABCDEF";
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (accept("eE")) {
            accept("+-");
            acceptRun("0123456789");
        }
        return !isAlphaNumeric(peek());
    }

    /** Units after a number: {@code 1h30m}, {@code 5ms}; a duration must not run into a letter or digit. */
    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        accept("s");
        while (accept("0123456789")) {
            acceptRun("0123456789");
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        return !isAlphaNumeric(peek());
    }

    private void string(char quote) {
        while (true) {
            if (pos >= input.length()) {
                throw error("unterminated quoted string", start);
            }
            char c = input.charAt(pos++);
            if (c == '\\') {
                escape(quote);
            } else if (c == '\n') {
                throw error("unterminated quoted string", start);
            } else if (c == quote) {
                emit(TokenType.STRING);
                return;
            }
        }
    }

    private void escape(char quote) {
        if (pos >= input.length()) {
            throw error("escape sequence not terminated", pos);
        }
        int escapeStart = pos - 1;
        char c = input.charAt(pos++);
        int n;
        int base;
        int max;
        switch (c) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
                return;
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                n = 3;
                base = 8;
                max = 255;
                pos--;
            }
            case 'x' -> {
                n = 2;
                base = 16;
                max = 255;
            }
            case 'u' -> {
                n = 4;
                base = 16;
                max = Character.MAX_CODE_POINT;
            }
            case 'U' -> {
                n = 8;
                base = 16;
                max = Character.MAX_CODE_POINT;
            }
            default -> {
                if (c == quote) {
                    return;
                }
                throw error("unknown escape sequence " + quoteChar(c), escapeStart);
            }
        }
        long x = 0;
        for (; n > 0; n--) {
            if (pos >= input.length()) {
                throw error("escape sequence not terminated", escapeStart);
            }
            int d = Character.digit(input.charAt(pos), 16);
            if (d < 0 || d >= base) {
                throw error("illegal character " + quoteChar(input.charAt(pos)) + " in escape sequence", pos);
            }
            x = x * base + d;
            pos++;
        }
        if (x > max || x >= 0xD800 && x < 0xE000) {
            throw error("escape sequence is an invalid Unicode code point", escapeStart);
        }
    }

    private void rawString() {
        int end = input.indexOf('`', pos);
        if (end < 0) {
            throw error("unterminated raw string", start);
        }
        pos = end + 1;
        emit(TokenType.STRING);
    }

    /**
     * The value of a string token as written (quotes included), with Go's escapes: {@code \n}, {@code \\},
     * octal and {@code \x} bytes, backslash-u and backslash-U code points; backtick strings are raw.
     */
    static String unquote(String raw) {
        char quote = raw.charAt(0);
        String body = raw.substring(1, raw.length() - 1);
        if (quote == '`' || body.indexOf('\\') < 0) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i++);
            if (c != '\\') {
                int cp = c;
                if (Character.isHighSurrogate(c) && i < body.length()) {
                    cp = Character.toCodePoint(c, body.charAt(i++));
                }
                writeUtf8(out, cp);
                continue;
            }
            char e = body.charAt(i++);
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case 'x' -> {
                    out.write(Integer.parseInt(body.substring(i, i + 2), 16));
                    i += 2;
                }
                case 'u' -> {
                    writeUtf8(out, Integer.parseInt(body.substring(i, i + 4), 16));
                    i += 4;
                }
                case 'U' -> {
                    writeUtf8(out, Integer.parseInt(body.substring(i, i + 8), 16));
                    i += 8;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    out.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
                    i += 2;
                }
                default -> writeUtf8(out, e);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    private boolean accept(String valid) {
        if (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consume
        }
    }

    private char peek() {
        return pos < input.length() ? input.charAt(pos) : '\0';
    }

    private void emit(TokenType type) {
        tokens.add(new Token(type, input.substring(start, pos), start));
    }

    private static PromQLException error(String message, int position) {
        return new PromQLException(message, position);
    }

    private static String quoteChar(char c) {
        return c == '\0' ? "end of input" : "'" + c + "'";
    }

    static boolean isSpace(char r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isDigit(char r) {
        return r >= '0' && r <= '9';
    }

    static boolean isAlpha(char r) {
        return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z';
    }

    static boolean isAlphaNumeric(char r) {
        return isAlpha(r) || isDigit(r);
    }

    /** A valid label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static boolean isLabelName(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isAlphaNumeric(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
