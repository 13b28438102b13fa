package io.vigil.alerts.promql;

import java.util.StringJoiner;

/** Prints a syntax tree fully parenthesized, so tests can state precedence and associativity plainly. */
final class AstPrinter {

    private AstPrinter() {
    }

    static String print(String promql) {
        return print(Parser.parse(promql));
    }

    static String print(Ast.Node node) {
        if (node instanceof Ast.NumberLiteral n) {
            return GoNumbers.format(n.value());
        }
        if (node instanceof Ast.StringLiteral s) {
            return '"' + s.value() + '"';
        }
        if (node instanceof Ast.VectorSelector vs) {
            StringJoiner m = new StringJoiner(",", "{", "}");
            for (LabelMatcher lm : vs.matchers()) {
                if (!(vs.name() != null && lm.name().equals(Labels.METRIC_NAME))) {
                    m.add(lm.toString());
                }
            }
            String s = (vs.name() == null ? "" : vs.name()) + (m.length() > 2 || vs.name() == null ? m : "");
            return vs.offsetMillis() == 0 ? s : s + " offset " + Durations.format(vs.offsetMillis());
        }
        if (node instanceof Ast.MatrixSelector ms) {
            String s = print(ms.selector().withOffset(0)) + "[" + Durations.format(ms.rangeMillis()) + "]";
            long offset = ms.selector().offsetMillis();
            return offset == 0 ? s : s + " offset " + Durations.format(offset);
        }
        if (node instanceof Ast.Paren p) {
            return print(p.expr());
        }
        if (node instanceof Ast.Unary u) {
            return "(" + u.op().symbol() + print(u.expr()) + ")";
        }
        if (node instanceof Ast.Binary b) {
            StringBuilder op = new StringBuilder(b.op().symbol());
            if (b.returnBool()) {
                op.append(" bool");
            }
            Ast.VectorMatching m = b.matching();
            if (m != null && (!m.matchingLabels().isEmpty() || m.on())) {
                op.append(m.on() ? " on" : " ignoring").append(m.matchingLabels().toString().replace('[', '(')
                        .replace(']', ')'));
            }
            if (m != null && m.cardinality() == Ast.Cardinality.MANY_TO_ONE) {
                op.append(" group_left").append(m.include().toString().replace('[', '(').replace(']', ')'));
            }
            if (m != null && m.cardinality() == Ast.Cardinality.ONE_TO_MANY) {
                op.append(" group_right").append(m.include().toString().replace('[', '(').replace(']', ')'));
            }
            return "(" + print(b.lhs()) + " " + op + " " + print(b.rhs()) + ")";
        }
        if (node instanceof Ast.Call c) {
            StringJoiner args = new StringJoiner(", ", c.function().promName() + "(", ")");
            c.args().forEach(a -> args.add(print(a)));
            return args.toString();
        }
        if (node instanceof Ast.Aggregate a) {
            StringJoiner args = new StringJoiner(", ", "(", ")");
            if (a.param() != null) {
                args.add(print(a.param()));
            }
            args.add(print(a.expr()));
            String grouping = a.grouping().isEmpty() && !a.without() ? ""
                    : (a.without() ? " without" : " by") + a.grouping().toString().replace('[', '(').replace(']', ')')
                    + " ";
            return a.op().symbol() + grouping + args;
        }
        throw new IllegalArgumentException(String.valueOf(node));
    }
}
