package io.vigil.alerts.promql;

import java.util.List;

/**
 * Where the evaluator reads series from: Vigil's in-process store, or a test's input series.
 * Implementations answer from memory; they are called on the evaluation thread only.
 */
public interface SeriesSource {

    /**
     * Every series whose labels match all {@code matchers}, with its points whose timestamps lie in
     * {@code [minTimeMillis, maxTimeMillis]} (both inclusive), ascending. Series with no point in the range
     * may be left out.
     */
    List<Series> select(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis);
}
