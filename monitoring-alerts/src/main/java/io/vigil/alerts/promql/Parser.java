package io.vigil.alerts.promql;

import com.google.re2j.PatternSyntaxException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.vigil.alerts.promql.TokenType.*;

/**
 * Recursive descent over {@link Lexer}'s tokens with the operator precedence and associativity of Prometheus'
 * grammar (promql/parser/generated_parser.y): {@code or} < {@code and unless} < comparisons < {@code + -} <
 * {@code * / % atan2} < {@code ^} (right-associative); unary minus binds like {@code *}, so {@code -2^2} is
 * {@code -4}; {@code [range]} and {@code offset} bind tightest. Type checks are Prometheus' checkAST. Anything
 * outside the subset (subqueries, {@code @}, unsupported functions) is rejected naming it and its position.
 */
final class Parser {

    private final List<Token> tokens;
    private final int inputLength;
    private int index;

    private Parser(String input) {
        this.tokens = Lexer.tokenize(input);
        this.inputLength = input.length();
    }

    static Ast.Node parse(String input) {
        Parser p = new Parser(input);
        if (p.peek().type() == EOF) {
            throw new PromQLException("no expression found in input", 0);
        }
        Ast.Node node = p.expression(1);
        Token t = p.peek();
        if (t.type() != EOF) {
            throw p.unexpected(t, null);
        }
        return node;
    }

    // ---- expressions -------------------------------------------------------------------------------------

    private Ast.Node expression(int minPrecedence) {
        Ast.Node lhs = unary();
        while (true) {
            Token op = peek();
            int precedence = op.type().precedence();
            if (precedence == 0 || precedence < minPrecedence) {
                return lhs;
            }
            next();
            boolean returnBool = accept(BOOL);
            List<String> matchingLabels = null;
            boolean on = false;
            Ast.Cardinality cardinality = Ast.Cardinality.ONE_TO_ONE;
            List<String> include = List.of();
            if (peek().type() == ON || peek().type() == IGNORING) {
                on = next().type() == ON;
                matchingLabels = groupingLabels();
                if (peek().type() == GROUP_LEFT || peek().type() == GROUP_RIGHT) {
                    cardinality = next().type() == GROUP_LEFT ? Ast.Cardinality.MANY_TO_ONE
                            : Ast.Cardinality.ONE_TO_MANY;
                    if (peek().type() == LEFT_PAREN) {
                        include = groupingLabels();
                    }
                }
            }
            Ast.Node rhs = expression(op.type() == POW ? precedence : precedence + 1);
            lhs = binary(op, lhs, rhs, returnBool, cardinality,
                    matchingLabels == null ? List.of() : matchingLabels, on, include);
        }
    }

    private Ast.Node binary(Token op, Ast.Node lhs, Ast.Node rhs, boolean returnBool, Ast.Cardinality cardinality,
                        List<String> matchingLabels, boolean on, List<String> include) {
        TokenType type = op.type();
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        if (returnBool && !type.isComparison()) {
            throw new PromQLException("bool modifier can only be used on comparison operators", op.position());
        }
        if (type.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw new PromQLException("comparisons between scalars must use BOOL modifier", op.position());
        }
        if (type.isSetOperator() && cardinality == Ast.Cardinality.ONE_TO_ONE) {
            cardinality = Ast.Cardinality.MANY_TO_MANY;
        }
        if (on) {
            for (String l : matchingLabels) {
                if (include.contains(l)) {
                    throw new PromQLException("label \"" + l + "\" must not occur in ON and GROUP clause at once",
                            op.position());
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw new PromQLException("binary expression must contain only scalar and instant vector types",
                    lhs.position());
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw new PromQLException("binary expression must contain only scalar and instant vector types",
                    rhs.position());
        }
        Ast.VectorMatching matching = null;
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!matchingLabels.isEmpty()) {
                throw new PromQLException("vector matching only allowed between instant vectors", op.position());
            }
        } else {
            if (type.isSetOperator() && cardinality != Ast.Cardinality.MANY_TO_MANY) {
                throw new PromQLException("no grouping allowed for \"" + type.symbol() + "\" operation",
                        op.position());
            }
            List<String> sorted = new ArrayList<>(matchingLabels);
            Collections.sort(sorted);
            matching = new Ast.VectorMatching(cardinality, List.copyOf(sorted), on, List.copyOf(include));
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && type.isSetOperator()) {
            throw new PromQLException("set operator \"" + type.symbol() + "\" not allowed in binary scalar expression",
                    op.position());
        }
        return new Ast.Binary(type, lhs, rhs, matching, returnBool, op.position());
    }

    /** {@code unary_op expr %prec MUL}: the operand takes only {@code ^} and postfix operators. */
    private Ast.Node unary() {
        Token t = peek();
        if (t.type() == ADD || t.type() == SUB) {
            next();
            Ast.Node operand = expression(POW.precedence());
            if (operand instanceof Ast.NumberLiteral n) {
                return new Ast.NumberLiteral(t.type() == SUB ? -n.value() : n.value(), t.position());
            }
            ValueType type = operand.type();
            if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
                throw new PromQLException("unary expression only allowed on expressions of type scalar or instant "
                        + "vector, got \"" + type + "\"", t.position());
            }
            return new Ast.Unary(t.type(), operand, t.position());
        }
        return postfix(primary());
    }

    private Ast.Node postfix(Ast.Node node) {
        Ast.Node n = node;
        while (true) {
            Token t = peek();
            if (t.type() == LEFT_BRACKET) {
                next();
                Token d = expect(DURATION, "duration", "subquery or range");
                if (peek().type() == COLON) {
                    throw new PromQLException("subqueries are not supported by Vigil's PromQL subset", t.position());
                }
                expect(RIGHT_BRACKET, "\"]\"", "subquery or range");
                if (!(n instanceof Ast.VectorSelector vs)) {
                    throw new PromQLException("ranges only allowed for vector selectors", t.position());
                }
                if (vs.offsetMillis() != 0) {
                    throw new PromQLException("no offset modifiers allowed before range", t.position());
                }
                n = new Ast.MatrixSelector(vs, positiveDuration(d), vs.position());
            } else if (t.type() == OFFSET) {
                next();
                boolean negative = accept(SUB);
                Token d = expect(DURATION, "duration", "offset");
                long offset = positiveDuration(d);
                if (negative) {
                    offset = -offset;
                }
                if (n instanceof Ast.VectorSelector vs) {
                    if (vs.offsetMillis() != 0) {
                        throw new PromQLException("offset may not be set multiple times", t.position());
                    }
                    n = vs.withOffset(offset);
                } else if (n instanceof Ast.MatrixSelector ms) {
                    if (ms.selector().offsetMillis() != 0) {
                        throw new PromQLException("offset may not be set multiple times", t.position());
                    }
                    n = new Ast.MatrixSelector(ms.selector().withOffset(offset), ms.rangeMillis(), ms.position());
                } else {
                    throw new PromQLException("offset modifier must be preceded by an instant vector selector or "
                            + "range vector selector", t.position());
                }
            } else if (t.type() == AT) {
                throw new PromQLException("the @ modifier is not supported by Vigil's PromQL subset", t.position());
            } else {
                return n;
            }
        }
    }

    private Ast.Node primary() {
        Token t = next();
        switch (t.type()) {
            case NUMBER: {
                boolean[] valid = new boolean[1];
                double v = GoNumbers.parseLiteral(t.text(), valid);
                if (!valid[0]) {
                    throw new PromQLException("error parsing number: \"" + t.text() + "\"", t.position());
                }
                return new Ast.NumberLiteral(v, t.position());
            }
            case STRING:
                return new Ast.StringLiteral(Lexer.unquote(t.text()), t.position());
            case LEFT_PAREN: {
                Ast.Node inner = expression(1);
                expect(RIGHT_PAREN, "\")\"", "paren expression");
                return new Ast.Paren(inner, t.position());
            }
            case LEFT_BRACE:
                return selector(null, t.position());
            case IDENTIFIER:
                if (peek().type() == LEFT_PAREN) {
                    return call(t);
                }
                return selector(t.text(), t.position());
            case METRIC_IDENTIFIER:
            case BY:
            case WITHOUT:
            case AND:
            case OR:
            case UNLESS:
            case OFFSET:
            case START:
            case END:
                return selector(t.text(), t.position());
            default:
                if (t.type().isAggregator()) {
                    TokenType after = peek().type();
                    if (after == LEFT_PAREN || after == BY || after == WITHOUT) {
                        return aggregate(t);
                    }
                    return selector(t.text(), t.position());
                }
                throw unexpected(t, null);
        }
    }

    // ---- selectors ---------------------------------------------------------------------------------------

    /** After the metric name (or at the opening brace when {@code name} is null). */
    private Ast.Node selector(String name, int position) {
        List<LabelMatcher> matchers = new ArrayList<>();
        boolean braces = name == null;
        if (!braces && peek().type() == LEFT_BRACE) {
            next();
            braces = true;
        }
        if (braces) {
            while (peek().type() != RIGHT_BRACE) {
                Token label = next();
                if (label.type() != IDENTIFIER) {
                    throw unexpected(label, "label matching");
                }
                Token op = next();
                LabelMatcher.Type type = switch (op.type()) {
                    case EQL -> LabelMatcher.Type.EQUAL;
                    case NEQ -> LabelMatcher.Type.NOT_EQUAL;
                    case EQL_REGEX -> LabelMatcher.Type.REGEX;
                    case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
                    default -> throw unexpected(op, "label matching");
                };
                Token value = next();
                if (value.type() != STRING) {
                    throw unexpected(value, "label matching");
                }
                try {
                    matchers.add(LabelMatcher.of(type, label.text(), Lexer.unquote(value.text())));
                } catch (IllegalArgumentException e) {
                    String why = e.getCause() instanceof PatternSyntaxException syntax ? syntax.getDescription()
                            : e.getMessage();
                    throw new PromQLException("invalid regular expression " + value.text() + ": " + why,
                            value.position());
                }
                if (peek().type() == COMMA) {
                    next();
                } else if (peek().type() != RIGHT_BRACE) {
                    throw unexpected(peek(), "label matching");
                }
            }
            next();
        }
        if (name != null) {
            for (LabelMatcher m : matchers) {
                if (m.name().equals(Labels.METRIC_NAME)) {
                    throw new PromQLException("metric name must not be set twice: \"" + name + "\" or \""
                            + m.value() + "\"", position);
                }
            }
            matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, name));
        } else {
            boolean notEmpty = false;
            for (LabelMatcher m : matchers) {
                if (!m.matches("")) {
                    notEmpty = true;
                    break;
                }
            }
            if (!notEmpty) {
                throw new PromQLException("vector selector must contain at least one non-empty matcher", position);
            }
        }
        return new Ast.VectorSelector(name, List.copyOf(matchers), 0, position);
    }

    // ---- calls and aggregations --------------------------------------------------------------------------

    private Ast.Node call(Token name) {
        PromFunction function = PromFunction.byName(name.text());
        if (function == null) {
            if (PromFunction.UNSUPPORTED.contains(name.text())) {
                throw new PromQLException("function \"" + name.text() + "\" is not supported by Vigil's PromQL subset",
                        name.position());
            }
            throw new PromQLException("unknown function with name \"" + name.text() + "\"", name.position());
        }
        List<Ast.Node> args = arguments();
        ValueType[] types = function.argTypes();
        int n = args.size();
        if (function.variadic() == 0) {
            if (n != types.length) {
                throw new PromQLException("expected " + types.length + " argument(s) in call to \"" + function.promName()
                        + "\", got " + n, name.position());
            }
        } else {
            int required = types.length - 1;
            if (n < required) {
                throw new PromQLException("expected at least " + required + " argument(s) in call to \""
                        + function.promName() + "\", got " + n, name.position());
            }
            if (function.variadic() > 0 && n > required + function.variadic()) {
                throw new PromQLException("expected at most " + (required + function.variadic())
                        + " argument(s) in call to \"" + function.promName() + "\", got " + n, name.position());
            }
        }
        for (int i = 0; i < n; i++) {
            ValueType want = types[Math.min(i, types.length - 1)];
            expectType(args.get(i), want, "call to function \"" + function.promName() + "\"");
        }
        Ast.Node call = new Ast.Call(function, args, name.position());
        FunctionArguments.check((Ast.Call) call);
        return call;
    }

    private List<Ast.Node> arguments() {
        expect(LEFT_PAREN, "\"(\"", "function call");
        List<Ast.Node> args = new ArrayList<>();
        if (accept(RIGHT_PAREN)) {
            return args;
        }
        while (true) {
            args.add(expression(1));
            Token t = next();
            if (t.type() == RIGHT_PAREN) {
                return args;
            }
            if (t.type() != COMMA) {
                throw unexpected(t, "function call");
            }
            if (peek().type() == RIGHT_PAREN) {
                throw new PromQLException("trailing commas not allowed in function call args", t.position());
            }
        }
    }

    private Ast.Node aggregate(Token op) {
        List<String> grouping = null;
        boolean without = false;
        if (peek().type() == BY || peek().type() == WITHOUT) {
            without = next().type() == WITHOUT;
            grouping = groupingLabels();
        }
        List<Ast.Node> args = arguments();
        if (grouping == null && (peek().type() == BY || peek().type() == WITHOUT)) {
            without = next().type() == WITHOUT;
            grouping = groupingLabels();
        }
        if (args.isEmpty()) {
            throw new PromQLException("no arguments for aggregate expression provided", op.position());
        }
        int wanted = op.type().isAggregatorWithParam() ? 2 : 1;
        if (args.size() != wanted) {
            throw new PromQLException("wrong number of arguments for aggregate expression provided, expected "
                    + wanted + ", got " + args.size(), op.position());
        }
        Ast.Node param = wanted == 2 ? args.get(0) : null;
        Ast.Node expr = args.get(wanted - 1);
        expectType(expr, ValueType.VECTOR, "aggregation expression");
        if (op.type() == TOPK || op.type() == BOTTOMK || op.type() == QUANTILE) {
            expectType(param, ValueType.SCALAR, "aggregation parameter");
        }
        if (op.type() == COUNT_VALUES) {
            expectType(param, ValueType.STRING, "aggregation parameter");
            String label = ((Ast.StringLiteral) Ast.unwrap(param)).value();
            if (!Lexer.isLabelName(label)) {
                throw new PromQLException("invalid label name \"" + label + "\"", param.position());
            }
        }
        List<String> sorted = new ArrayList<>(grouping == null ? List.of() : grouping);
        Collections.sort(sorted);
        return new Ast.Aggregate(op.type(), param, expr, List.copyOf(sorted), without, op.position());
    }

    /** {@code (a, b, c)} — label names, which may be spelled like keywords ({@code on}, {@code group}). */
    private List<String> groupingLabels() {
        expect(LEFT_PAREN, "\"(\"", "grouping opts");
        List<String> labels = new ArrayList<>();
        while (true) {
            Token t = next();
            if (t.type() == RIGHT_PAREN) {
                return labels;
            }
            boolean nameLike = t.type() == IDENTIFIER || t.type().ordinal() >= AND.ordinal();
            if (!nameLike || !Lexer.isLabelName(t.text())) {
                throw unexpected(t, "grouping opts");
            }
            labels.add(t.text());
            Token sep = peek();
            if (sep.type() == COMMA) {
                next();
            } else if (sep.type() != RIGHT_PAREN) {
                throw unexpected(sep, "grouping opts");
            }
        }
    }

    private void expectType(Ast.Node node, ValueType want, String context) {
        if (node.type() != want) {
            throw new PromQLException("expected type " + want + " in " + context + ", got " + node.type(),
                    node.position());
        }
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    private long positiveDuration(Token d) {
        long millis = Durations.parseMillis(d.text());
        if (millis < 0) {
            throw new PromQLException("not a valid duration string: \"" + d.text() + "\"", d.position());
        }
        if (millis == 0) {
            throw new PromQLException("duration must be greater than 0", d.position());
        }
        return millis;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.type() != EOF) {
            index++;
        }
        return t;
    }

    private boolean accept(TokenType type) {
        if (peek().type() == type) {
            next();
            return true;
        }
        return false;
    }

    private Token expect(TokenType type, String expected, String context) {
        Token t = next();
        if (t.type() != type) {
            throw unexpected(t, context, expected);
        }
        return t;
    }

    private PromQLException unexpected(Token t, String context) {
        return unexpected(t, context, null);
    }

    private PromQLException unexpected(Token t, String context, String expected) {
        StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
        if (context != null) {
            sb.append(" in ").append(context);
        }
        if (expected != null) {
            sb.append(", expected ").append(expected);
        }
        return new PromQLException(sb.toString(), t.type() == EOF ? inputLength : t.position());
    }
}
