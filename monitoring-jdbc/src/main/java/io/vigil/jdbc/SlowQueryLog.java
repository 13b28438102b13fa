package io.vigil.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs statements slower than the threshold at WARN, at most one line a second per DataSource (with the number
 * of slow statements not logged since), so a slow database cannot flood the log. The SQL is sanitized by
 * {@link SqlSanitizer} or left out, as configured; it never reaches a metric.
 */
final class SlowQueryLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.jdbc.SlowQueries");
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long UNKNOWN_ROWS = -1;

    /** A slow query whose line waits for its result set to close, to be logged with the rows read. */
    record Pending(String sql, long nanos) {
    }

    private final String pool;
    private final long thresholdNanos;
    private final MonitoredDataSource.SqlLogging mode;
    private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    SlowQueryLog(String pool, Duration threshold, MonitoredDataSource.SqlLogging mode) {
        this.pool = pool;
        this.mode = mode;
        this.thresholdNanos = mode == MonitoredDataSource.SqlLogging.OFF ? Long.MAX_VALUE : threshold.toNanos();
    }

    boolean isSlow(long nanos) {
        return nanos >= thresholdNanos;
    }

    /** Logs one slow statement (or counts it as suppressed). Callers catch what this throws. */
    void log(String sql, int operation, long nanos, long rows) {
        long now = System.nanoTime();
        long next = nextLogAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextLogAt.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        String text = mode == MonitoredDataSource.SqlLogging.SANITIZED ? SqlSanitizer.sanitize(sql) : "(not logged)";
        LOG.warn("Slow {} on {}: {} ms, {} rows: {} ({} more slow statements since the previous line)",
                Operations.tag(operation), pool, String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6),
                rows == UNKNOWN_ROWS ? "?" : Long.toString(rows), text, skipped);
    }
}
