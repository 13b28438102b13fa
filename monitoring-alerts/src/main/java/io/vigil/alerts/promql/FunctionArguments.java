package io.vigil.alerts.promql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the string arguments of {@code label_replace} and {@code label_join} when the expression is parsed;
 * Prometheus finds a bad regex or label name only when it evaluates, a rule file should fail when loaded.
 */
final class FunctionArguments {

    /** Compiled label_replace regexes, so an evaluation does not recompile them; bounded by clearing. */
    private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final int MAX_PATTERNS = 1024;

    private FunctionArguments() {
    }

    /** label_replace's regex, anchored as Prometheus anchors it (the parser has checked that it compiles). */
    static Pattern labelReplacePattern(String regex) {
        Pattern p = PATTERNS.get(regex);
        if (p == null) {
            if (PATTERNS.size() >= MAX_PATTERNS) {
                PATTERNS.clear();
            }
            p = Pattern.compile("^(?:" + regex + ")$");
            PATTERNS.put(regex, p);
        }
        return p;
    }

    static void check(Ast.Call call) {
        switch (call.function()) {
            case LABEL_REPLACE -> {
                String dst = string(call, 1);
                String regex = string(call, 4);
                try {
                    labelReplacePattern(regex);
                } catch (PatternSyntaxException e) {
                    throw new PromQLException("invalid regular expression in label_replace(): " + regex,
                            call.args().get(4).position());
                }
                if (!Lexer.isLabelName(dst)) {
                    throw new PromQLException("invalid destination label name in label_replace(): " + dst,
                            call.args().get(1).position());
                }
            }
            case LABEL_JOIN -> {
                for (int i = 3; i < call.args().size(); i++) {
                    if (!Lexer.isLabelName(string(call, i))) {
                        throw new PromQLException("invalid source label name in label_join(): " + string(call, i),
                                call.args().get(i).position());
                    }
                }
                if (!Lexer.isLabelName(string(call, 1))) {
                    throw new PromQLException("invalid destination label name in label_join(): " + string(call, 1),
                            call.args().get(1).position());
                }
            }
            default -> {
            }
        }
    }

    static String string(Ast.Call call, int index) {
        return ((Ast.StringLiteral) Ast.unwrap(call.args().get(index))).value();
    }
}
