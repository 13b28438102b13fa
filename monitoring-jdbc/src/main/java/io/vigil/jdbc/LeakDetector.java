package io.vigil.jdbc;

import io.micrometer.core.instrument.Counter;
import io.vigil.core.internal.InternalErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Finds connections held past the leak threshold. One daemon thread per DataSource sweeps the open
 * connections a few times per threshold, instead of a timer task per connection: {@code getConnection()} and
 * {@code close()} only add to and remove from a concurrent set. Each leak is counted and logged once, with the
 * stack trace of where the connection was acquired.
 */
final class LeakDetector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.jdbc.LeakDetection");
    private static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String pool;
    private final long thresholdNanos;
    private final Counter leaks;
    private final InternalErrors errors;
    private final Set<MonitoredConnection> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    LeakDetector(String pool, Duration threshold, Counter leaks, InternalErrors errors) {
        this.pool = pool;
        this.thresholdNanos = threshold.toNanos();
        this.leaks = leaks;
        this.errors = errors;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vigil-jdbc-leak-detector-" + pool);
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(MIN_SWEEP_NANOS, Math.min(thresholdNanos / 4, MAX_SWEEP_NANOS));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    void opened(MonitoredConnection connection) {
        open.add(connection);
    }

    void closed(MonitoredConnection connection) {
        open.remove(connection);
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (MonitoredConnection connection : open) {
                long held = now - connection.acquiredAtNanos();
                if (held >= thresholdNanos && connection.markLeakReported()) {
                    leaks.increment();
                    LOG.warn("Possible connection leak in pool {}: a connection has been held for {} ms"
                            + " (leak threshold {} ms) and is still open; it was acquired at:", pool,
                            TimeUnit.NANOSECONDS.toMillis(held), TimeUnit.NANOSECONDS.toMillis(thresholdNanos),
                            connection.acquiredAt());
                }
            }
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        open.clear();
    }
}
