package io.vigil.alerts.promql;

import java.util.ArrayList;
import java.util.List;

/**
 * A metric with its labels as written in promtool test files ({@code series:} of input series and
 * {@code labels:} of expected samples): {@code name}, {@code name{a="1", b="2"}} or {@code {__name__="x", a="1"}};
 * {@code ""} and {@code {}} are the empty label set. Read with the PromQL lexer, so quoting and escapes are
 * Prometheus'.
 */
final class MetricNotation {

    private MetricNotation() {
    }

    static Labels parse(String text) {
        List<Token> tokens = Lexer.tokenize(text);
        List<String> pairs = new ArrayList<>();
        int i = 0;
        Token first = tokens.get(0);
        if (first.type() != TokenType.LEFT_BRACE && first.type() != TokenType.EOF) {
            if (first.type() == TokenType.STRING || first.type() == TokenType.NUMBER) {
                throw new IllegalArgumentException("bad metric \"" + text + "\"");
            }
            pairs.add(Labels.METRIC_NAME);
            pairs.add(first.text());
            i++;
        }
        if (tokens.get(i).type() == TokenType.LEFT_BRACE) {
            i++;
            while (tokens.get(i).type() != TokenType.RIGHT_BRACE) {
                Token name = tokens.get(i++);
                Token eq = tokens.get(i++);
                Token value = tokens.get(i++);
                if (name.type() != TokenType.IDENTIFIER || eq.type() != TokenType.EQL
                        || value.type() != TokenType.STRING) {
                    throw new IllegalArgumentException("bad label set in \"" + text + "\"");
                }
                pairs.add(name.text());
                pairs.add(Lexer.unquote(value.text()));
                if (tokens.get(i).type() == TokenType.COMMA) {
                    i++;
                }
            }
            i++;
        }
        if (tokens.get(i).type() != TokenType.EOF) {
            throw new IllegalArgumentException("unexpected " + tokens.get(i).describe() + " in \"" + text + "\"");
        }
        return Labels.of(pairs.toArray(new String[0]));
    }
}
