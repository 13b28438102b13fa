package io.vigil.benchmarks;

import com.p6spy.engine.common.StatementInformation;
import com.p6spy.engine.event.SimpleJdbcEventListener;

import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;

/**
 * P6Spy's documented extension point (a {@code JdbcEventListener}) counting the executions it was told about,
 * the least a P6Spy user who wants metrics adds; it lets the p6spy variant prove it saw every statement.
 */
final class P6ExecutionCounter extends SimpleJdbcEventListener {

    private final LongAdder executions = new LongAdder();

    long executions() {
        return executions.sum();
    }

    @Override
    public void onAfterAnyExecute(StatementInformation statementInformation, long timeElapsedNanos,
            SQLException e) {
        executions.increment();
    }
}
