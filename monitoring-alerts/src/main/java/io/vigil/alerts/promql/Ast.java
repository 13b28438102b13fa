package io.vigil.alerts.promql;

import java.util.List;

/**
 * The syntax tree of a parsed expression; each node knows its static type and where it starts. (Nested in a
 * class, not an interface, so the node types stay package-private.)
 */
final class Ast {

    private Ast() {
    }

    sealed interface Node permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, Paren, Unary,
            Binary, Call, Aggregate {

        ValueType type();

        /** Zero-based offset of the node's first character in the expression. */
        int position();
    }

    record NumberLiteral(double value, int position) implements Node {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }
    }

    record StringLiteral(String value, int position) implements Node {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** {@code name{matchers} offset 5m}; {@code matchers} include the {@code __name__} matcher of the name. */
    record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMillis, int position)
            implements Node {
        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        VectorSelector withOffset(long offset) {
            return new VectorSelector(name, matchers, offset, position);
        }
    }

    /** {@code selector[range]}; the offset belongs to the selector. */
    record MatrixSelector(VectorSelector selector, long rangeMillis, int position) implements Node {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }
    }

    record Paren(Node expr, int position) implements Node {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    /** Unary minus (unary plus is kept as a node too: it does nothing, as in Prometheus). */
    record Unary(TokenType op, Node expr, int position) implements Node {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    /** {@code matching} is null unless both sides are instant vectors. */
    record Binary(TokenType op, Node lhs, Node rhs, VectorMatching matching, boolean returnBool, int position)
            implements Node {
        @Override
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
        }
    }

    record Call(PromFunction function, List<Node> args, int position) implements Node {
        @Override
        public ValueType type() {
            return function.returnType();
        }
    }

    /** {@code op by|without (grouping) ([param,] expr)}; {@code grouping} sorted. */
    record Aggregate(TokenType op, Node param, Node expr, List<String> grouping, boolean without, int position)
            implements Node {
        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }
    }

    /** How two instant vectors are matched: {@code on}/{@code ignoring} labels and the cardinality. */
    record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {
    }

    enum Cardinality {
        ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
    }

    /** Removes any parentheses around {@code node}. */
    static Node unwrap(Node node) {
        Node n = node;
        while (n instanceof Paren p) {
            n = p.expr();
        }
        return n;
    }
}
