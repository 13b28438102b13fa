package io.vigil.alerts.promql;

/** One lexical token: its kind, its text as written, and where it starts in the expression. */
record Token(TokenType type, String text, int position) {

    /** How an error message names this token, as Prometheus does ("unexpected identifier \"foo\""). */
    String describe() {
        return switch (type) {
            case EOF -> "end of input";
            case NUMBER, DURATION, STRING, IDENTIFIER, METRIC_IDENTIFIER -> type.description() + " \"" + text + "\"";
            default -> type.description();
        };
    }
}
