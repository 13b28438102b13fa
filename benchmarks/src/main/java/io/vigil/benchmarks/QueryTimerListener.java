package io.vigil.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.QueryType;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.listener.QueryUtils;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a datasource-proxy user writes to get query metrics into Micrometer (the library ships logging and query
 * counting listeners, but no Micrometer one): one timer per execution, tagged with the statement verb (or
 * {@code BATCH}) and the outcome.
 *
 * <p>Written the cheap way, so that the peer is not penalised by a naive listener: every timer is registered up
 * front and picked from an array, and the verb of each SQL string is parsed once with datasource-proxy's own
 * {@link QueryUtils#getQueryType} (three regular expressions per call) and cached. The duration is
 * datasource-proxy's {@link ExecutionInfo#getElapsedTime()}, in milliseconds with the default stopwatch.
 */
final class QueryTimerListener implements QueryExecutionListener {

    static final String NAME = "jdbc.query";

    private static final QueryType[] TYPES = QueryType.values();
    private static final int BATCH = TYPES.length;

    /** Index {@code 2 * operation + (success ? 0 : 1)}, operation being a {@link QueryType} ordinal or BATCH. */
    private final Timer[] timers = new Timer[2 * (TYPES.length + 1)];
    /** SQL string to verb; unbounded here because the benchmarks prepare three SQL strings. */
    private final ConcurrentHashMap<String, QueryType> verbs = new ConcurrentHashMap<>();

    QueryTimerListener(MeterRegistry registry) {
        for (int operation = 0; operation <= BATCH; operation++) {
            String tag = operation == BATCH ? "BATCH" : TYPES[operation].name().toUpperCase(Locale.ROOT);
            timers[2 * operation] = timer(registry, tag, "success");
            timers[2 * operation + 1] = timer(registry, tag, "error");
        }
    }

    private static Timer timer(MeterRegistry registry, String operation, String outcome) {
        return Timer.builder(NAME).tag("operation", operation).tag("outcome", outcome).register(registry);
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        // Nothing: datasource-proxy measures the elapsed time itself.
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        int operation = execInfo.isBatch() ? BATCH : verb(queryInfoList).ordinal();
        timers[2 * operation + (execInfo.isSuccess() ? 0 : 1)]
                .record(execInfo.getElapsedTime(), TimeUnit.MILLISECONDS);
    }

    private QueryType verb(List<QueryInfo> queryInfoList) {
        if (queryInfoList.isEmpty()) {
            return QueryType.OTHER;
        }
        return verbs.computeIfAbsent(queryInfoList.get(0).getQuery(), QueryUtils::getQueryType);
    }
}
