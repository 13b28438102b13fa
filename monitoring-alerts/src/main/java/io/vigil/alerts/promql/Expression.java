package io.vigil.alerts.promql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed PromQL expression of the supported subset, evaluated with the semantics of Prometheus 2.42 (the
 * {@code promtool} Vigil's tests compare against). Immutable and thread-safe.
 *
 * <pre>{@code
 * Expression e = Expression.parse("sum by (uri) (rate(http_server_requests_seconds_count{status=~\"5..\"}[5m]))");
 * Value v = e.evaluate(nowMillis, store);
 * }</pre>
 *
 * <p>The subset: instant and range selectors ({@code = != =~ !~}, {@code offset}); all binary operators with
 * {@code bool}, {@code on}/{@code ignoring}, {@code group_left}/{@code group_right}; the aggregations
 * {@code sum avg min max count group stddev stdvar topk bottomk quantile count_values} with {@code by} or
 * {@code without}; the functions {@code rate irate increase delta idelta deriv predict_linear
 * avg|min|max|sum|count|last|quantile|stddev|stdvar|present_over_time absent absent_over_time changes resets
 * histogram_quantile clamp clamp_min clamp_max abs ceil floor round sqrt exp ln log2 log10 sgn timestamp time
 * vector scalar pi sort sort_desc label_replace label_join minute hour day_of_week day_of_month day_of_year
 * days_in_month month year}. Rejected when parsed, naming the construct and its position: subqueries, the
 * {@code @} modifier, native-histogram, trigonometric and {@code holt_winters} functions, unknown functions.
 */
public final class Expression {

    private final String text;
    private final Ast.Node root;
    private final Duration lookback;
    private final List<List<LabelMatcher>> selectors;

    private Expression(String text, Ast.Node root) {
        this.text = text;
        this.root = root;
        List<List<LabelMatcher>> found = new ArrayList<>();
        long[] longest = {0};
        collect(root, found, longest);
        this.selectors = List.copyOf(found);
        this.lookback = Duration.ofMillis(longest[0]);
    }

    /**
     * Parses {@code promql}.
     *
     * @throws PromQLException naming the unsupported function or construct, or the syntax error, and its
     *                         position, for anything outside the subset
     */
    public static Expression parse(String promql) {
        if (promql == null) {
            throw new IllegalArgumentException("promql must not be null");
        }
        return new Expression(promql, Parser.parse(promql));
    }

    /**
     * Evaluates at {@code timeMillis}, Prometheus' instant query semantics (5 min lookback, staleness).
     *
     * @throws PromQLException for what Prometheus also fails at evaluation: many-to-many matching, duplicate
     *                         label sets in a result, a {@code topk} parameter out of range
     */
    public Value evaluate(long timeMillis, SeriesSource source) {
        return new Evaluator(source, timeMillis).evaluate(root);
    }

    /**
     * How far back from the evaluation time this expression reads: over its selectors, the largest offset plus
     * range (range selectors) or plus the 5 min lookback (instant selectors). A store keeps at least this much
     * history for the series it selects. Zero for an expression without selectors.
     */
    public Duration lookback() {
        return lookback;
    }

    /** The matchers of every vector selector in the expression, so a store knows which series to keep. */
    public List<List<LabelMatcher>> selectors() {
        return selectors;
    }

    /** The static type of the result: "scalar", "instant vector", "range vector" or "string", as Prometheus names them. */
    public String resultType() {
        return root.type().toString();
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return text;
    }

    private static void collect(Ast.Node node, List<List<LabelMatcher>> found, long[] longest) {
        if (node instanceof Ast.VectorSelector vs) {
            found.add(vs.matchers());
            longest[0] = Math.max(longest[0], Math.max(0, vs.offsetMillis()) + Evaluator.LOOKBACK_MILLIS);
        } else if (node instanceof Ast.MatrixSelector ms) {
            found.add(ms.selector().matchers());
            longest[0] = Math.max(longest[0], Math.max(0, ms.selector().offsetMillis()) + ms.rangeMillis());
        } else if (node instanceof Ast.Paren p) {
            collect(p.expr(), found, longest);
        } else if (node instanceof Ast.Unary u) {
            collect(u.expr(), found, longest);
        } else if (node instanceof Ast.Binary b) {
            collect(b.lhs(), found, longest);
            collect(b.rhs(), found, longest);
        } else if (node instanceof Ast.Call c) {
            for (Ast.Node a : c.args()) {
                collect(a, found, longest);
            }
        } else if (node instanceof Ast.Aggregate a) {
            if (a.param() != null) {
                collect(a.param(), found, longest);
            }
            collect(a.expr(), found, longest);
        }
    }
}
