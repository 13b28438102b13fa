package io.vigil.alerts.promql;

import java.time.Duration;
import java.util.List;

/**
 * A parsed PromQL expression of the supported subset. Immutable and thread-safe.
 *
 * <p>TODO(promql helper): implement; keep these signatures (the rule engine codes against them).
 */
public final class Expression {

    private final String text;

    private Expression(String text) {
        this.text = text;
    }

    /**
     * Parses {@code promql}.
     *
     * @throws PromQLException naming the unsupported function or construct, or the syntax error, and its
     *                         position, for anything outside the subset
     */
    public static Expression parse(String promql) {
        throw new PromQLException("not implemented yet", 0);
    }

    /** Evaluates at {@code timeMillis}, Prometheus' instant query semantics (5 min lookback, staleness). */
    public Value evaluate(long timeMillis, SeriesSource source) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * How far back from the evaluation time this expression reads: the longest range + offset + the 5 min
     * lookback of any selector in it. A store keeps at least this much history for the series it selects.
     */
    public Duration lookback() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The matchers of every vector selector in the expression, so a store knows which series to keep. */
    public List<List<LabelMatcher>> selectors() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return text;
    }
}
